namespace WorkflowEngine.Agents.Builtin;

/// <summary>Concrete advice for a failure.</summary>
/// <param name="Summary">What went wrong, in a sentence.</param>
/// <param name="Steps">What to do about it.</param>
internal sealed record ErrorAdvice(string Summary, IReadOnlyList<string> Steps);
