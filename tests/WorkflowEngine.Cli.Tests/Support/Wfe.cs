using System.Diagnostics;

namespace WorkflowEngine.Cli.Tests.Support;

/// <summary>Runs the real <c>wfe</c> CLI in a child process with its own WFE_HOME, from the repository root.</summary>
public sealed class Wfe : IDisposable
{
    public Wfe()
    {
        Home = Path.Combine(Path.GetTempPath(), "wfe-cli-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Home);
    }

    public string Home { get; }

    public static string RepositoryRoot { get; } = FindRoot();

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RunWithEnvironmentAsync(new Dictionary<string, string>(), arguments);

    /// <summary>Runs wfe with extra environment variables (set after the isolating defaults).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(environment, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How wfe is started: the built wfe.dll, this test's WFE_HOME, no OpenAI or Daytona settings unless given.</summary>
    public ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wfe.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WFE_HOME"] = Home;
        info.Environment.Remove("OPENAI_API_KEY");
        info.Environment.Remove("OPENAI_BASE_URL");
        info.Environment.Remove("DAYTONA_API_KEY");
        info.Environment.Remove("DAYTONA_API_URL");
        info.Environment.Remove("WFE_BACKEND");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public void Dispose()
    {
        // Remove whatever a failed test left, then the data folder.
        RunAsync("sandbox", "rm", "--all").GetAwaiter().GetResult();
        Directory.Delete(Home, recursive: true);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WorkflowEngine.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("WorkflowEngine.sln not found above the test folder.");
    }
}
