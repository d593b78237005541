namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>One command to run in one sandbox, with everything needed to build its bubblewrap invocation.</summary>
internal sealed record SandboxCommand
{
    public required string SandboxId { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The working directory inside the sandbox (validated to be under /workspace).</summary>
    public string WorkingDirectory { get; init; } = "/workspace";

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; }

    public string? StandardInput { get; init; }

    public bool Network { get; init; }

    public long MemoryBytes { get; init; }

    public long MaxFileBytes { get; init; }

    /// <summary>The workspace's enforced disk quota in bytes, or 0 when it has none (to say so when a command hits it).</summary>
    public long DiskBytes { get; init; }

    /// <summary>The workspace's file quota.</summary>
    public long DiskInodes { get; init; }

    /// <summary>pids.max, to recreate the cgroups when they vanished (a reboot clears them, the registry survives).</summary>
    public int Pids { get; init; }

    /// <summary>The CPU share, to recreate the cgroups.</summary>
    public double Cpus { get; init; }

    /// <summary>The isolation the sandbox was created with, such as <c>L0 bwrap+setpriv+cgroup-v1+seccomp</c>.</summary>
    public string Isolation { get; init; } = "";

    /// <summary>Host folders bound into the sandbox for this command (local git remotes): host path, sandbox path, writable.</summary>
    public IReadOnlyList<(string HostPath, string SandboxPath, bool Writable)> Binds { get; init; } = [];
}
