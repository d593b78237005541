using System.Diagnostics;

namespace WorkflowEngine.Daytona.Server.Tests;

/// <summary>Host-side git repositories for clone, push and pull tests, in a temporary folder deleted on dispose.</summary>
internal sealed class HostGit : IDisposable
{
    /// <summary>The uid (and gid) the local provider runs sandboxed processes as by default.</summary>
    private const string SandboxOwner = "200000:200000";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "wfe-server-git-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A repository with <c>README.md</c> committed on <c>main</c> and a <c>feature</c> branch adding <c>feature.txt</c>.</summary>
    public async Task<string> CreateRepositoryAsync()
    {
        var repository = Path.Combine(Root, "source");
        Directory.CreateDirectory(repository);
        await GitAsync("init", "--quiet", repository);
        await File.WriteAllTextAsync(Path.Combine(repository, "README.md"), "hello from the host\n");
        await GitAsync("-C", repository, "add", "README.md");
        await GitAsync("-C", repository, "commit", "--quiet", "-m", "initial");
        await GitAsync("-C", repository, "checkout", "--quiet", "-b", "feature");
        await File.WriteAllTextAsync(Path.Combine(repository, "feature.txt"), "feature\n");
        await GitAsync("-C", repository, "add", "feature.txt");
        await GitAsync("-C", repository, "commit", "--quiet", "-m", "feature work");
        await GitAsync("-C", repository, "checkout", "--quiet", "main");
        await RunAsync("/usr/bin/chmod", "-R", "a+rX", Root);
        return repository;
    }

    /// <summary>A bare copy of <paramref name="source"/> that sandboxed processes may push to.</summary>
    public async Task<string> CreateBareAsync(string source)
    {
        var bare = Path.Combine(Root, "remote.git");
        await GitAsync("clone", "--quiet", "--bare", source, bare);
        await RunAsync("/usr/bin/chown", "-R", SandboxOwner, bare);
        return bare;
    }

    /// <summary>Runs host git with a fixed identity; fails the test on a non-zero exit.</summary>
    public static async Task<string> GitAsync(params string[] arguments)
    {
        string[] config = ["-c", "user.name=Host", "-c", "user.email=host@example.com", "-c", "init.defaultBranch=main", "-c", "safe.directory=*"];
        return await RunAsync("/usr/bin/git", [.. config, .. arguments]);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        return await stdout;
    }
}
