using WorkflowEngine.Definitions;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Runtime;

/// <summary>The mutable state of one workflow execution (a sub-workflow gets its own, sharing the journal).</summary>
internal sealed class RunState
{
    private readonly Dictionary<string, Dictionary<string, object?>> _steps = new(StringComparer.Ordinal);

    public RunState(WorkflowDefinition workflow, IReadOnlyDictionary<string, object?> inputs, RunJournal journal, string stepPrefix, RunState? parent = null)
    {
        Workflow = workflow;
        Parent = parent;
        Depth = parent is null ? 1 : parent.Depth + 1;
        Inputs = inputs;
        Journal = journal;
        StepPrefix = stepPrefix;
        foreach (var step in workflow.Steps)
        {
            // Every step is visible from the start, so a reference to a step that has not run yet is null, not an error.
            _steps[step.Id] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["output"] = null,
                ["status"] = "pending",
                ["error"] = null,
            };
        }
    }

    public WorkflowDefinition Workflow { get; }

    /// <summary>The workflow that runs this one as a sub-workflow, or <see langword="null"/> at the top.</summary>
    public RunState? Parent { get; }

    /// <summary>How many workflows are nested here, this one included: 1 at the top.</summary>
    public int Depth { get; }

    /// <summary>The workflow ids from the top-level workflow down to this one.</summary>
    public IEnumerable<string> Chain()
    {
        var ids = new Stack<string>();
        for (var state = this; state is not null; state = state.Parent)
        {
            ids.Push(state.Workflow.Id);
        }

        return ids;
    }

    public IReadOnlyDictionary<string, object?> Inputs { get; }

    public RunJournal Journal { get; }

    public string StepPrefix { get; }

    public object? PreviousOutput { get; private set; }

    public object? LastOutput { get; private set; }

    public bool HasUserOutput { get; private set; }

    public object? UserOutput { get; private set; }

    public string? LastError { get; set; }

    /// <summary>Whether the error this workflow stopped with came up from a sub-workflow of its own, already named.</summary>
    public bool FailedInSubWorkflow { get; set; }

    public void Record(StepDefinition step, StepOutcome outcome)
    {
        var entry = _steps[step.Id];
        entry["status"] = outcome.Status.ToString().ToLowerInvariant();
        entry["output"] = outcome.Output;
        entry["error"] = outcome.Error;
        if (outcome.Status == StepStatus.Succeeded)
        {
            PreviousOutput = outcome.Output;
            LastOutput = outcome.Output;
        }
    }

    public object? OutputOf(string stepId) => _steps[stepId]["output"];

    public void SetUserOutput(object? output)
    {
        HasUserOutput = true;
        UserOutput = output;
    }

    public TemplateScope CreateScope()
    {
        var stepOutputs = _steps.ToDictionary(e => e.Key, e => e.Value["output"], StringComparer.Ordinal);
        var steps = _steps.ToDictionary(e => e.Key, e => (object?)new Dictionary<string, object?>(e.Value), StringComparer.Ordinal);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["user_input"] = null,
            ["user_query"] = null,
        };
        foreach (var (name, value) in Inputs)
        {
            variables[name] = value;
        }

        variables["previous_output"] = PreviousOutput;
        variables["user_output"] = UserOutput;
        variables["error"] = LastError;
        variables["steps"] = steps;
        variables["step_outputs"] = stepOutputs;
        variables["context"] = new Dictionary<string, object?>(variables, StringComparer.Ordinal);
        return new TemplateScope(variables);
    }
}
