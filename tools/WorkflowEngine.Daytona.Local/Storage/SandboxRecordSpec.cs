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

    public long DiskBytes { get; init; }

    public string Isolation { get; init; } = "";
}
