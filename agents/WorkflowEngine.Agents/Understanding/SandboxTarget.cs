namespace WorkflowEngine.Agents.Understanding;

/// <summary>The existing sandbox a request points at.</summary>
/// <param name="Kind">How it is referenced.</param>
/// <param name="Value">The id or name; <see langword="null"/> for <see cref="SandboxReference.None"/> and <see cref="SandboxReference.Current"/>.</param>
internal sealed record SandboxTarget(SandboxReference Kind, string? Value)
{
    /// <summary>No sandbox named.</summary>
    public static SandboxTarget None { get; } = new(SandboxReference.None, null);
}
