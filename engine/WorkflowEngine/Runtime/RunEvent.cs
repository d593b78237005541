namespace WorkflowEngine.Runtime;

/// <summary>Something that happened during a run, streamed by <see cref="IWorkflowRunner.StreamAsync"/>.</summary>
public abstract record RunEvent
{
    /// <summary>The run it belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>When it happened, from the injected <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>A step started.</summary>
/// <param name="StepId">The step (<c>parent/child</c> inside sub-workflows).</param>
public sealed record StepStarted(string StepId) : RunEvent;

/// <summary>A step succeeded.</summary>
/// <param name="StepId">The step.</param>
/// <param name="Output">Its output.</param>
/// <param name="Duration">How long it took.</param>
public sealed record StepCompleted(string StepId, object? Output, TimeSpan Duration) : RunEvent;

/// <summary>A step failed after its retries.</summary>
/// <param name="StepId">The step.</param>
/// <param name="Error">Why.</param>
/// <param name="Duration">How long it took.</param>
public sealed record StepFailed(string StepId, string Error, TimeSpan Duration) : RunEvent;

/// <summary>A step's condition was false.</summary>
/// <param name="StepId">The step.</param>
public sealed record StepSkipped(string StepId) : RunEvent;

/// <summary>A tool method was called.</summary>
/// <param name="Call">The call and its result.</param>
public sealed record ToolCalled(ToolCallRecord Call) : RunEvent;

/// <summary>A step sent its output to <c>user</c>.</summary>
/// <param name="Output">The output.</param>
public sealed record OutputProduced(object? Output) : RunEvent;

/// <summary>The run ended; always the last event.</summary>
/// <param name="Result">The complete result.</param>
public sealed record RunCompleted(RunResult Result) : RunEvent;
