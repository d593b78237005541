using System.Diagnostics;

namespace WorkflowEngine.Daytona.Local.Tests;

/// <summary>A temporary host folder, deleted with everything in it.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "wfe-tmp-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Runs host programs with argument vectors.</summary>
public static class Host
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] arguments)
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
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs host git as root with a fixed identity; fails the test on a non-zero exit.</summary>
    public static async Task<string> GitAsync(params string[] arguments)
    {
        var (exit, stdout, stderr) = await RunAsync("/usr/bin/git",
            ["-c", "user.name=Host", "-c", "user.email=host@example.com", "-c", "init.defaultBranch=main", "-c", "safe.directory=*", .. arguments]);
        Assert.True(exit == 0, $"git {string.Join(' ', arguments)} failed ({exit}): {stdout}{stderr}");
        return stdout;
    }

    /// <summary>A host repository with one commit on main (and a 'feature' branch with one more), readable by everyone.</summary>
    public static async Task<string> CreateRepositoryAsync(string parent)
    {
        var repository = System.IO.Path.Combine(parent, "source");
        Directory.CreateDirectory(repository);
        await GitAsync("init", "--quiet", repository);
        await File.WriteAllTextAsync(System.IO.Path.Combine(repository, "README.md"), "hello from the host\n");
        await GitAsync("-C", repository, "add", "README.md");
        await GitAsync("-C", repository, "commit", "--quiet", "-m", "initial");
        await GitAsync("-C", repository, "checkout", "--quiet", "-b", "feature");
        await File.WriteAllTextAsync(System.IO.Path.Combine(repository, "feature.txt"), "feature\n");
        await GitAsync("-C", repository, "add", "feature.txt");
        await GitAsync("-C", repository, "commit", "--quiet", "-m", "feature work");
        await GitAsync("-C", repository, "checkout", "--quiet", "main");
        var (exit, _, stderr) = await RunAsync("/usr/bin/chmod", "-R", "a+rX", parent);
        Assert.True(exit == 0, stderr);
        return repository;
    }
}
