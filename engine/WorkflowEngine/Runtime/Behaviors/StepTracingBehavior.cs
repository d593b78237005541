using System.Diagnostics;
using Mediator;

namespace WorkflowEngine.Runtime.Behaviors;

/// <summary>Wraps each step in an OpenTelemetry span from <see cref="WorkflowTelemetry.ActivitySource"/>.</summary>
/// <typeparam name="TRequest">The step request type.</typeparam>
public sealed class StepTracingBehavior<TRequest> : IPipelineBehavior<TRequest, StepOutcome>
    where TRequest : IStepRequest
{
    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(TRequest message, MessageHandlerDelegate<TRequest, StepOutcome> next, CancellationToken cancellationToken)
    {
        var execution = message.Execution;
        using var activity = WorkflowTelemetry.ActivitySource.StartActivity($"step {execution.QualifiedId}");
        activity?.SetTag("wfe.run_id", execution.RunId);
        activity?.SetTag("wfe.workflow", execution.Workflow.Id);
        activity?.SetTag("wfe.step", execution.QualifiedId);
        activity?.SetTag("wfe.step.kind", execution.Step.Kind.ToString().ToLowerInvariant());
        var outcome = await next(message, cancellationToken);
        activity?.SetTag("wfe.step.status", outcome.Status.ToString().ToLowerInvariant());
        activity?.SetTag("wfe.step.attempts", outcome.Attempts);
        if (outcome.Status == StepStatus.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        }

        return outcome;
    }
}
