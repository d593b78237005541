namespace WorkflowEngine.Agents.Tests.Support;

/// <summary>Finds the repository root (the folder holding WorkflowEngine.sln) and the shared eval files.</summary>
public static class RepositoryPaths
{
    public static string? Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WorkflowEngine.sln")))
                {
                    return dir.FullName;
                }
            }

            return null;
        }
    }

    public static string? PublicIntents
    {
        get
        {
            var root = Root;
            if (root is null)
            {
                return null;
            }

            var path = Path.GetFullPath(Path.Combine(root, "..", "shared", "eval", "intents.yaml"));
            return File.Exists(path) ? path : null;
        }
    }

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);
}
