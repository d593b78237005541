namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>How a command ended.</summary>
public sealed record ExecResult
{
    /// <summary>The exit code; 137 when killed.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Standard output, cut at the output limit.</summary>
    public required string Stdout { get; init; }

    /// <summary>Standard error, cut at the output limit.</summary>
    public required string Stderr { get; init; }

    /// <summary>Whether output was cut at the limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>How long it ran.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Whether the wall-clock timeout killed it.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Whether the memory limit killed it.</summary>
    public bool OutOfMemory { get; init; }

    /// <summary>A sentence about a kill, such as "killed: out of memory, limit 512 MiB"; <see langword="null"/> otherwise.</summary>
    public string? KillReason { get; init; }
}
