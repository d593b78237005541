using Mediator;
using Microsoft.Extensions.Logging;

namespace WorkflowEngine.Runtime.Behaviors;

/// <summary>Logs each step's start and end.</summary>
/// <typeparam name="TRequest">The step request type.</typeparam>
public sealed partial class StepLoggingBehavior<TRequest>(ILogger<StepLoggingBehavior<TRequest>> logger) : IPipelineBehavior<TRequest, StepOutcome>
    where TRequest : IStepRequest
{
    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(TRequest message, MessageHandlerDelegate<TRequest, StepOutcome> next, CancellationToken cancellationToken)
    {
        var execution = message.Execution;
        LogStarted(logger, execution.RunId, execution.QualifiedId, execution.Step.Kind.ToString());
        var outcome = await next(message, cancellationToken);
        if (outcome.Status == StepStatus.Failed)
        {
            LogFailed(logger, execution.RunId, execution.QualifiedId, outcome.Error);
        }
        else
        {
            LogFinished(logger, execution.RunId, execution.QualifiedId, outcome.Status.ToString(), outcome.Duration.TotalMilliseconds);
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: step {StepId} ({Kind}) started")]
    private static partial void LogStarted(ILogger logger, string runId, string stepId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: step {StepId} {Status} in {DurationMs:0.0} ms")]
    private static partial void LogFinished(ILogger logger, string runId, string stepId, string status, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: step {StepId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string runId, string stepId, string? error);
}
