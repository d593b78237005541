namespace WorkflowEngine.Runtime;

/// <summary>Told when a run ends, whatever the outcome, so that a tool can release what the run held.</summary>
public interface IRunLifecycle
{
    /// <summary>Called once per run after its last step, before the result is returned.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="status">How it ended (<see cref="RunStatus.Failed"/> also for cancellation).</param>
    /// <param name="cancellationToken">Not the run's token: cleanup runs even after cancellation.</param>
    ValueTask RunEndedAsync(string runId, RunStatus status, CancellationToken cancellationToken);
}
