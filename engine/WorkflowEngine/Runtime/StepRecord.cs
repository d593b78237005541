namespace WorkflowEngine.Runtime;

/// <summary>One executed step in a <see cref="RunResult"/>; sub-workflow steps are named <c>parent/child</c>.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Output">Its output as plain data.</param>
/// <param name="Error">Its error, when it failed.</param>
/// <param name="Attempts">How many attempts were made.</param>
public sealed record StepRecord(string Id, StepStatus Status, TimeSpan Duration, object? Output, string? Error, int Attempts);
