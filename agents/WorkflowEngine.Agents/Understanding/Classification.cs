namespace WorkflowEngine.Agents.Understanding;

/// <summary>What a request asks for.</summary>
/// <param name="Method">The method.</param>
/// <param name="Confidence">How sure the rule that matched is, from 0 to 1.</param>
/// <param name="Operations">The git operations in order, or the one file operation; empty for other methods.</param>
internal sealed record Classification(string Method, double Confidence, IReadOnlyList<string> Operations)
{
    /// <summary>A classification without operations.</summary>
    public static Classification Of(string method, double confidence) => new(method, confidence, []);
}
