namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>A command to run in a sandbox, as an argument vector (never a shell string built from user text).</summary>
public sealed record ExecRequest
{
    /// <summary>The program and its arguments. Use <c>["bash", "-c", script]</c> to run a shell script on purpose.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The working directory inside the sandbox; default <c>/workspace</c>.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra variables for this command.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The wall-clock limit; default from the provider options.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Text sent to standard input.</summary>
    public string? StandardInput { get; init; }
}
