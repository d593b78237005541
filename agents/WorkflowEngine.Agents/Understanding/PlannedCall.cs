namespace WorkflowEngine.Agents.Understanding;

/// <summary>One tool call planned from a natural-language request.</summary>
/// <param name="Method">One of <see cref="DaytonaMethods.All"/>.</param>
/// <param name="Params">
/// Only the parameters the request states: strings, <c>persistent</c> as <see cref="bool"/>,
/// <c>environment_vars</c> as <c>Dictionary&lt;string, string&gt;</c>.
/// </param>
/// <param name="Missing">Required parameters the request does not state.</param>
/// <param name="SandboxReference">How the request points at an existing sandbox.</param>
/// <param name="Confidence">How sure the classification is, from 0 to 1.</param>
public sealed record PlannedCall(
    string Method,
    Dictionary<string, object?> Params,
    IReadOnlyList<string> Missing,
    SandboxReference SandboxReference,
    double Confidence);
