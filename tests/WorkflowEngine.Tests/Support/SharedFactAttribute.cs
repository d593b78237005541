namespace WorkflowEngine.Tests.Support;

/// <summary>Finds the shared reference material that lives next to the repository (<c>../shared</c>).</summary>
public static class SharedPaths
{
    private static readonly Lazy<string?> Root = new(FindSharedRoot);

    /// <summary>The <c>shared</c> folder next to the repository root, or <see langword="null"/> when it is absent.</summary>
    public static string? SharedRoot => Root.Value;

    /// <summary>The LangSwarm reference folder (<c>shared/reference/langswarm</c>), or <see langword="null"/> when absent.</summary>
    public static string? LangSwarmReference =>
        SharedRoot is { } root && Path.Combine(root, "reference", "langswarm") is var folder && Directory.Exists(folder) ? folder : null;

    /// <summary>The repository root: the nearest ancestor of the test binaries that holds <c>WorkflowEngine.sln</c>.</summary>
    public static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WorkflowEngine.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string? FindSharedRoot()
    {
        if (RepositoryRoot() is not { } repository)
        {
            return null;
        }

        var shared = Path.GetFullPath(Path.Combine(repository, "..", "shared"));
        return Directory.Exists(shared) ? shared : null;
    }
}

/// <summary>A fact that is skipped, with a reason, when the shared LangSwarm reference folder is missing.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (SharedPaths.LangSwarmReference is null)
        {
            Skip = "The shared reference folder (../shared/reference/langswarm next to WorkflowEngine.sln) is not available.";
        }
    }
}
