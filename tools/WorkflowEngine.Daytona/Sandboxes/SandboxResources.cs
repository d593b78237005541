namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>Resource limits of a sandbox; <see langword="null"/> fields take the provider's documented defaults.</summary>
public sealed record SandboxResources
{
    /// <summary>Memory in bytes (local default 512 MiB).</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>CPU cores, fractional allowed (local default 1).</summary>
    public double? Cpus { get; init; }

    /// <summary>Process and thread count (local default 256).</summary>
    public int? Pids { get; init; }

    /// <summary>The largest file a process may write, in bytes (local default 1 GiB).</summary>
    public long? DiskBytes { get; init; }
}
