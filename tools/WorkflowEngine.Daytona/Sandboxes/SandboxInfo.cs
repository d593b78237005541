namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>A sandbox as the provider knows it.</summary>
public sealed record SandboxInfo
{
    /// <summary>The id, <c>sandbox-&lt;12 hex&gt;</c> for the local provider.</summary>
    public required string Id { get; init; }

    /// <summary>The unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The language it was created for.</summary>
    public required string Language { get; init; }

    /// <summary><c>started</c>, <c>stopped</c> or <c>error</c>.</summary>
    public required string State { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last used.</summary>
    public required DateTimeOffset LastAccessedAt { get; init; }

    /// <summary>Whether it outlives the run that created it.</summary>
    public bool Persistent { get; init; }

    /// <summary>The cloned repository, if any.</summary>
    public string? GitRepo { get; init; }

    /// <summary>The image, if any.</summary>
    public string? Image { get; init; }

    /// <summary>The sandbox's environment variables.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVars { get; init; } = new Dictionary<string, string>();

    /// <summary>The effective resource limits.</summary>
    public SandboxResources Resources { get; init; } = new();

    /// <summary>
    /// Whether the disk quota in <see cref="Resources"/> is enforced: <c>enforced: …</c>, or <c>unavailable: </c> and why
    /// (then only the per-file limit applies). Empty when the provider does not say.
    /// </summary>
    public string DiskQuota { get; init; } = "";

    /// <summary>Bytes in use in the workspace, when the provider measures them.</summary>
    public long? DiskUsedBytes { get; init; }

    /// <summary>Files and folders in the workspace, when the provider measures them.</summary>
    public long? DiskUsedInodes { get; init; }

    /// <summary>Whether the network is reachable.</summary>
    public bool Network { get; init; }

    /// <summary>How it is isolated, such as <c>L0 bwrap+setpriv+cgroup-v1+seccomp</c> or <c>none</c>.</summary>
    public string Isolation { get; init; } = "";

    /// <summary>A preview URL, when the provider has one.</summary>
    public string? PreviewUrl { get; init; }

    /// <summary>How long it may sit unused before <c>prune</c> removes it.</summary>
    public TimeSpan? IdleTtl { get; init; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
