namespace WorkflowEngine.Daytona.Local.Storage;

/// <summary>The stored part of a sandbox's spec, with its effective limits.</summary>
internal sealed record SandboxRecordSpec
{
    public Dictionary<string, string> EnvironmentVars { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);

    public string? Image { get; init; }

    public string? GitRepo { get; init; }

    public bool Network { get; init; }

    public long MemoryBytes { get; init; }

    public int Pids { get; init; }

    public double Cpus { get; init; }

    /// <summary>The disk quota in bytes (before disk quotas existed: the per-file limit, see <see cref="MaxFileBytes"/>).</summary>
    public long DiskBytes { get; init; }

    public long DiskInodes { get; init; }

    /// <summary>The per-file limit; 0 in records older than disk quotas, whose <see cref="DiskBytes"/> held it.</summary>
    public long MaxFileBytes { get; init; }

    /// <summary><c>enforced: …</c> when the workspace is a file system of its own, else <c>unavailable: </c> and why.</summary>
    public string DiskQuota { get; init; } = "";

    public string Isolation { get; init; } = "";
}
