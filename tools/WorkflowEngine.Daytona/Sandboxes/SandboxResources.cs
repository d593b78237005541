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

    /// <summary>
    /// The disk quota of the workspace in bytes (local default 2 GiB, enforced where the local provider can mount a
    /// file system per sandbox; see <see cref="SandboxInfo.DiskQuota"/>).
    /// </summary>
    public long? DiskBytes { get; init; }

    /// <summary>How many files and folders the workspace may hold (local provider only; default 100,000).</summary>
    public long? DiskInodes { get; init; }
}
