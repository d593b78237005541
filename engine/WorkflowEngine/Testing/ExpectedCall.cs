namespace WorkflowEngine.Testing;

/// <summary>A tool call a case expects.</summary>
/// <param name="Method">The method.</param>
/// <param name="Params">The parameters to check; others are ignored.</param>
public sealed record ExpectedCall(string Method, IReadOnlyDictionary<string, object?> Params);
