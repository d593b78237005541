using Mediator;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using WorkflowEngine.Hosting;

namespace WorkflowEngine.Runtime.Behaviors;

/// <summary>
/// Applies a step's <c>retry: N</c> (exponential backoff with jitter) and <c>timeout</c> with Polly. A failed
/// outcome, a timeout or an unexpected exception is retried; the caller's cancellation never is.
/// </summary>
/// <typeparam name="TRequest">The step request type.</typeparam>
public sealed class StepResilienceBehavior<TRequest>(IOptions<WorkflowEngineOptions> options, TimeProvider timeProvider)
    : IPipelineBehavior<TRequest, StepOutcome>
    where TRequest : IStepRequest
{
    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(TRequest message, MessageHandlerDelegate<TRequest, StepOutcome> next, CancellationToken cancellationToken)
    {
        var step = message.Execution.Step;
        if (step.Retry == 0 && step.Timeout is null)
        {
            // Most steps ask for neither: skip building a pipeline on the hot path.
            try
            {
                return await next(message, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Unexpected(ex);
            }
        }

        var builder = new ResiliencePipelineBuilder<StepOutcome> { TimeProvider = timeProvider };
        if (step.Retry > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<StepOutcome>
            {
                MaxRetryAttempts = step.Retry,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Value.RetryBaseDelay,
                MaxDelay = options.Value.RetryMaxDelay,
                ShouldHandle = new PredicateBuilder<StepOutcome>()
                    .HandleResult(outcome => outcome.Status == StepStatus.Failed)
                    .Handle<Exception>(ex => ex is not OperationCanceledException || ex is TimeoutRejectedException),
            });
        }

        if (step.Timeout is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        var attempts = 0;
        var pipeline = builder.Build();
        try
        {
            var outcome = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await next(message, token);
                },
                cancellationToken);
            return outcome with { Attempts = attempts };
        }
        catch (TimeoutRejectedException)
        {
            return StepOutcome.Failure($"timed out after {Describe(step.Timeout!.Value)} (attempt {attempts} of {step.Retry + 1}). Raise `timeout:` on the step or make it faster.") with { Attempts = attempts };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Unexpected(ex) with { Attempts = attempts };
        }
    }

    private static StepOutcome Unexpected(Exception ex) => StepOutcome.Failure($"unexpected {ex.GetType().Name}: {ex.Message}");

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.###} s" : $"{timeout.TotalMilliseconds:0} ms";
}
