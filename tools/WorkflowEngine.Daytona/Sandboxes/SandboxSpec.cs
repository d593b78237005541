namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>What to create: the <c>create_sandbox</c> parameters.</summary>
public sealed record SandboxSpec
{
    /// <summary>python, javascript, typescript or bash. Default python.</summary>
    public string Language { get; init; } = "python";

    /// <summary>A unique, human-readable name; a generated one when absent.</summary>
    public string? Name { get; init; }

    /// <summary>A container image (Daytona only; the local provider records it).</summary>
    public string? Image { get; init; }

    /// <summary>Variables set for every command in the sandbox.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVars { get; init; } = new Dictionary<string, string>();

    /// <summary>Keep the sandbox after the run or command that created it. Default false.</summary>
    public bool Persistent { get; init; }

    /// <summary>A repository to clone into the workspace.</summary>
    public string? GitRepo { get; init; }

    /// <summary>The branch to clone.</summary>
    public string? GitBranch { get; init; }

    /// <summary>Resource limits.</summary>
    public SandboxResources Resources { get; init; } = new();

    /// <summary>Allow network access (off by default).</summary>
    public bool Network { get; init; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
