using Mediator;

namespace WorkflowEngine.Runtime.Behaviors;

/// <summary>Measures each step with the injected <see cref="TimeProvider"/> and records the <c>wfe.step.duration</c> metric.</summary>
/// <typeparam name="TRequest">The step request type.</typeparam>
public sealed class StepTimingBehavior<TRequest>(TimeProvider timeProvider) : IPipelineBehavior<TRequest, StepOutcome>
    where TRequest : IStepRequest
{
    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(TRequest message, MessageHandlerDelegate<TRequest, StepOutcome> next, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var outcome = await next(message, cancellationToken);
        var elapsed = timeProvider.GetElapsedTime(started);
        WorkflowTelemetry.StepDuration.Record(
            elapsed.TotalMilliseconds,
            new KeyValuePair<string, object?>("wfe.step.kind", message.Execution.Step.Kind.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("wfe.step.status", outcome.Status.ToString().ToLowerInvariant()));
        return outcome with { Duration = elapsed };
    }
}
