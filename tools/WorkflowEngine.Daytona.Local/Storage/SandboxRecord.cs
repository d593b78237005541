namespace WorkflowEngine.Daytona.Local.Storage;

/// <summary>A sandbox as stored in the registry: its info plus the spec it was created from.</summary>
internal sealed record SandboxRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Language { get; init; }

    public required string State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastAccessedAt { get; init; }

    public required bool Persistent { get; init; }

    public required TimeSpan IdleTtl { get; init; }

    /// <summary>The create spec and effective limits, as JSON.</summary>
    public required string SpecJson { get; init; }

    /// <summary>Local repositories this sandbox cloned from or pushes to: host path to mount point, as JSON.</summary>
    public string GitMountsJson { get; init; } = "{}";
}
