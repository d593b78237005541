using Mediator;
using Microsoft.Extensions.Options;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Runtime.Handlers;

/// <summary>
/// Runs another workflow as a step, in its own context: a text input becomes its <c>user_input</c>, an object
/// input's fields become its inputs. The sub-workflow's output becomes the step's output. Nesting is bounded by
/// <see cref="WorkflowEngineOptions.MaxWorkflowDepth"/>, and a sub-workflow's error is passed up as it is, once.
/// </summary>
public sealed class WorkflowStepHandler(IDefinitionCatalog catalog, TemplateRenderer renderer, IServiceProvider services, IOptions<WorkflowEngineOptions> options)
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

        var maxDepth = options.Value.MaxWorkflowDepth;
        if (execution.State.Depth >= maxDepth)
        {
            var chain = string.Join(" → ", execution.State.Chain().Append(workflow.Id));
            return StepOutcome.Failure(
                $"sub-workflows nest deeper than WorkflowEngineOptions.MaxWorkflowDepth ({maxDepth}): {chain}. A workflow that calls itself, directly or through others, never ends; repeat with a route back to an earlier step instead, or raise MaxWorkflowDepth.");
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
        var child = new RunState(workflow, inputs, execution.State.Journal, execution.QualifiedId + "/", execution.State);
        var error = await executor.ExecuteAsync(child, cancellationToken);

        // The error names the failed step by its qualified id (parent/child/...) and the innermost sub-workflow; the
        // levels above pass it on as it is, since wrapping it at every level makes the text grow with the square of the depth.
        return error is not null
            ? StepOutcome.Failure(child.FailedInSubWorkflow ? error : $"Sub-workflow '{workflow.Id}': {error}") with { ErrorNamesStep = true }
            : StepOutcome.Success(child.HasUserOutput ? child.UserOutput : child.LastOutput);
    }
}
