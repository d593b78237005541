using Mediator;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Runtime.Handlers;

/// <summary>
/// Runs another workflow as a step, in its own context: a text input becomes its <c>user_input</c>, an object
/// input's fields become its inputs. The sub-workflow's output becomes the step's output.
/// </summary>
public sealed class WorkflowStepHandler(IDefinitionCatalog catalog, TemplateRenderer renderer, IServiceProvider services)
    : IRequestHandler<WorkflowStepRequest, StepOutcome>
{
    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(WorkflowStepRequest request, CancellationToken cancellationToken)
    {
        var execution = request.Execution;
        var step = execution.Step;
        if (catalog.Definitions.FindWorkflow(step.Workflow!) is not { } workflow)
        {
            return StepOutcome.Failure($"Workflow '{step.Workflow}' is not defined.");
        }

        var input = renderer.Resolve(step.Input, execution.Scope);
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["input"] = input };
        if (input is Dictionary<string, object?> fields)
        {
            foreach (var (key, value) in fields)
            {
                inputs[key] = value;
            }
        }
        else if (input is not null)
        {
            inputs["user_input"] = PlainData.ToText(input);
        }

        // Resolved lazily: the executor sends steps through the mediator, which resolves this handler.
        var executor = (WorkflowExecutor)services.GetService(typeof(WorkflowExecutor))!;
        var child = new RunState(workflow, inputs, execution.State.Journal, execution.QualifiedId + "/");
        var error = await executor.ExecuteAsync(child, cancellationToken);
        return error is not null
            ? StepOutcome.Failure($"Sub-workflow '{workflow.Id}': {error}")
            : StepOutcome.Success(child.HasUserOutput ? child.UserOutput : child.LastOutput);
    }
}
