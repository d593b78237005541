namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>A bare repository on the host with a <c>main</c> and a <c>dev</c> branch, one commit each.</summary>
internal static class SeededRepository
{
    /// <summary>Initialises <paramref name="bare"/> as a bare repository and pushes both branches into it.</summary>
    public static void Create(string bare)
    {
        var seed = Directory.CreateTempSubdirectory("fake-daytona-seed-").FullName;
        try
        {
            Run(bare, "init", "-q", "--bare", "-b", "main");
            Run(seed, "init", "-q", "-b", "main");
            File.WriteAllText(Path.Combine(seed, "main.txt"), "m");
            Run(seed, "add", ".");
            Run(seed, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "on main");
            Run(seed, "checkout", "-q", "-b", "dev");
            File.WriteAllText(Path.Combine(seed, "dev.txt"), "d");
            Run(seed, "add", ".");
            Run(seed, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "on dev");
            Run(seed, "push", "-q", bare, "main", "dev");
        }
        finally
        {
            Directory.Delete(seed, recursive: true);
        }
    }

    private static void Run(string directory, params string[] args)
    {
        var (code, output) = FakeToolbox.Git(directory, args);
        Assert.True(code == 0, $"git {string.Join(' ', args)}: {output}");
    }
}
