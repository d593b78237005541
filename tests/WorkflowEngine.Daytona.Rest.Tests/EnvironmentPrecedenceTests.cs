using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Daytona.Rest.Internal;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool;

namespace WorkflowEngine.Daytona.Rest.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class EnvironmentPrecedenceTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Resolve_EnvironmentHostAndToolConfig_EnvironmentFillsOnlyWhatIsUnset()
    {
        using var environment = new EnvironmentScope(
            ("DAYTONA_API_KEY", "env-key"),
            ("DAYTONA_API_URL", "http://127.0.0.1:9/env"),
            ("DAYTONA_TARGET", "env-target"),
            ("DAYTONA_ORGANIZATION_ID", "env-org"));
        using var factory = new DaytonaProviderFactory(o => o.Target = "host-target");

        var options = factory.Resolve(new Dictionary<string, object?> { ["api_key"] = "", ["organization_id"] = "tool-org" });

        Assert.Equal("env-key", options.ApiKey);
        Assert.Equal("http://127.0.0.1:9/env", options.ApiUrl);
        Assert.Equal("host-target", options.Target);
        Assert.Equal("tool-org", options.OrganizationId);
    }

    [Fact]
    public async Task AddDaytonaSandboxes_KeyAndUrlFromEnvironment_RegisteredProviderUsesThem()
    {
        _server.Add("from-env");
        using var environment = new EnvironmentScope(
            ("DAYTONA_API_KEY", "env-key"),
            ("DAYTONA_API_URL", _server.ApiUrl),
            ("DAYTONA_TARGET", null),
            ("DAYTONA_ORGANIZATION_ID", null));
        await using var services = new ServiceCollection().AddDaytonaSandboxes().BuildServiceProvider();
        var factory = services.GetRequiredService<ISandboxProviderFactory>();

        // An unset ${DAYTONA_API_KEY:-} in tools.yaml expands to "": the environment's key still applies.
        var selected = factory.GetProvider(new Dictionary<string, object?> { ["api_key"] = "" });
        var listed = await selected.Value!.ListAsync();

        Assert.True(factory.HasCredentials(new Dictionary<string, object?>()));
        Assert.Same(services.GetRequiredService<ISandboxProvider>(), selected.Value);
        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.Equal("from-env", Assert.Single(listed.Value).Name);
        Assert.Equal("Bearer env-key", Assert.Single(_server.RequestsTo("GET", "/api/sandbox")).Headers["Authorization"]);
    }

    /// <summary>Sets environment variables and restores the previous values on dispose.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly List<(string Name, string? Previous)> _previous = [];

        public EnvironmentScope(params (string Name, string? Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous.Add((name, Environment.GetEnvironmentVariable(name)));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, previous) in _previous)
            {
                Environment.SetEnvironmentVariable(name, previous);
            }
        }
    }
}
