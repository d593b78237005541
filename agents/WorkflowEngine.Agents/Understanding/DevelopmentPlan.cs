namespace WorkflowEngine.Agents.Understanding;

/// <summary>The steps of a multi-step development request: create, write files, run, commit.</summary>
public sealed record DevelopmentPlan
{
    /// <summary>The sandbox language; <c>python</c> when the request names none.</summary>
    public string Language { get; init; } = "python";

    /// <summary>Whether the request names the language.</summary>
    public bool LanguageStated { get; init; }

    /// <summary>The sandbox name, if given.</summary>
    public string? Name { get; init; }

    /// <summary>The Docker image, if given.</summary>
    public string? Image { get; init; }

    /// <summary>The repository to clone, if given.</summary>
    public string? GitRepo { get; init; }

    /// <summary>The branch, if given.</summary>
    public string? GitBranch { get; init; }

    /// <summary>Whether to keep the sandbox after the run ("persistent", "keep it", "keep the sandbox").</summary>
    public bool Persistent { get; init; }

    /// <summary>Environment variables for the sandbox.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVars { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Files to write, in order.</summary>
    public IReadOnlyList<PlannedFile> Files { get; init; } = [];

    /// <summary>The command to run as an argument vector, or <see langword="null"/> when nothing is run.</summary>
    public IReadOnlyList<string>? RunCommand { get; init; }

    /// <summary>Whether to commit.</summary>
    public bool Commit { get; init; }

    /// <summary>The commit message, verbatim.</summary>
    public string? CommitMessage { get; init; }

    /// <summary>Whether to push after committing.</summary>
    public bool Push { get; init; }
}
