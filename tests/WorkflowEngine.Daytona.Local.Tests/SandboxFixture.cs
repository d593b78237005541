using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

/// <summary>A real local provider over a temporary data folder, removed (with its sandboxes) at the end.</summary>
public sealed class SandboxFixture : IDisposable
{
    private readonly List<LocalSandboxProvider> _providers = [];

    public SandboxFixture()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "wfe-test-" + Guid.NewGuid().ToString("N")[..8]);
        Provider = Create();
    }

    public string DataDirectory { get; }

    public LocalSandboxProvider Provider { get; }

    /// <summary>Another provider over the same data folder (its sandboxes are cleaned up with the fixture's).</summary>
    public LocalSandboxProvider Create(Action<LocalSandboxOptions>? configure = null)
    {
        // Tests make their host repositories in the temporary folder (which also holds DataDirectory, refused whatever the roots).
        var options = new LocalSandboxOptions { DataDirectory = DataDirectory, CommandTimeout = TimeSpan.FromSeconds(30), GitRoots = [Path.GetTempPath()] };
        configure?.Invoke(options);
        var provider = new LocalSandboxProvider(options);
        lock (_providers)
        {
            _providers.Add(provider);
        }

        return provider;
    }

    public async Task<SandboxInfo> CreateSandboxAsync(SandboxSpec? spec = null, LocalSandboxProvider? provider = null)
    {
        var created = await (provider ?? Provider).CreateAsync(spec ?? new SandboxSpec());
        Assert.True(created.Succeeded, created.Error?.ToString());
        return created.Value!;
    }

    /// <summary>Runs a bash script in the sandbox (extra arguments become $1, $2…) and fails the test if the call itself fails.</summary>
    public async Task<ExecResult> BashAsync(string sandbox, string script, TimeSpan? timeout = null, string? input = null,
        IReadOnlyDictionary<string, string>? environment = null, LocalSandboxProvider? provider = null, params string[] arguments)
    {
        var result = await (provider ?? Provider).Process.ExecAsync(sandbox, new ExecRequest
        {
            Command = ["/bin/bash", "-c", script, "bash", .. arguments],
            Timeout = timeout,
            StandardInput = input,
            Environment = environment ?? new Dictionary<string, string>(),
        });
        Assert.True(result.Succeeded, result.Error?.ToString());
        return result.Value!;
    }

    public void Dispose()
    {
        foreach (var sandbox in Provider.ListAsync().AsTask().GetAwaiter().GetResult().Value ?? [])
        {
            Provider.DeleteAsync(sandbox.Id).AsTask().GetAwaiter().GetResult();
        }

        // Disposing removes each provider's prepared (pooled) sandbox and its standbys.
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
