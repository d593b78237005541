using WorkflowEngine.Definitions;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Runtime;

/// <summary>Everything a step handler needs to run one step once: the step, the variables it sees and the run it belongs to.</summary>
public sealed class StepExecution
{
    internal StepExecution(StepDefinition step, TemplateScope scope, RunState state)
    {
        Step = step;
        Scope = scope;
        State = state;
    }

    /// <summary>The step to run.</summary>
    public StepDefinition Step { get; }

    /// <summary>The template variables for this attempt.</summary>
    public TemplateScope Scope { get; }

    /// <summary>The run id.</summary>
    public string RunId => State.Journal.RunId;

    /// <summary>The workflow the step belongs to.</summary>
    public WorkflowDefinition Workflow => State.Workflow;

    /// <summary>The step's id as reported, <c>parent/child</c> inside sub-workflows.</summary>
    public string QualifiedId => State.StepPrefix + Step.Id;

    /// <summary>The inputs the run was started with (a sub-workflow's steps see the top-level run's).</summary>
    public IReadOnlyDictionary<string, object?> RunInputs => State.Journal.Inputs;

    /// <summary>Whether tool calls go to the planner instead of the tools.</summary>
    public bool DryRun => State.Journal.DryRun;

    internal RunState State { get; }

    /// <summary>Records a tool call in the run result and emits a <see cref="ToolCalled"/> event.</summary>
    public void RecordToolCall(ToolCallRecord call) => State.Journal.AddToolCall(call);
}
