namespace WorkflowEngine.Runtime;

/// <summary>What a step handler returns: an output, or an error that says what to fix.</summary>
public sealed record StepOutcome
{
    /// <summary>Whether the step succeeded.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>The output as plain data (text, or a dictionary for structured replies and tool results).</summary>
    public object? Output { get; init; }

    /// <summary>The error when <see cref="Status"/> is <see cref="StepStatus.Failed"/>.</summary>
    public string? Error { get; init; }

    /// <summary>How long the step took, set by the timing behaviour.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>How many attempts were made, set by the resilience behaviour.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>
    /// Whether <see cref="Error"/> already names the failed step (a sub-workflow's error), so that the workflows
    /// above pass it on as it is instead of wrapping it again at every level.
    /// </summary>
    internal bool ErrorNamesStep { get; init; }

    /// <summary>A successful outcome.</summary>
    public static StepOutcome Success(object? output) => new() { Status = StepStatus.Succeeded, Output = output };

    /// <summary>A failed outcome.</summary>
    public static StepOutcome Failure(string error) => new() { Status = StepStatus.Failed, Error = error };
}
