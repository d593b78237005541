using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Daytona.Rest.Internal;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool;

namespace WorkflowEngine.Daytona.Rest.Tests;

public sealed class RegistrationTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AddDaytonaSandboxes_Configured_RegistersOneDaytonaProviderThatWorks()
    {
        _server.Add("existing");
        await using var services = Services(o => Fake(o, TestProviders.Key));

        var provider = Assert.Single(services.GetServices<ISandboxProvider>());
        var factory = Assert.Single(services.GetServices<ISandboxProviderFactory>());
        var listed = await provider.ListAsync();

        Assert.Equal("daytona", provider.Name);
        Assert.Equal("daytona", factory.Name);
        Assert.Same(provider, services.GetRequiredService<ISandboxProvider>());
        Assert.Same(provider, factory.GetProvider(Config()).Value);
        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.Equal("existing", Assert.Single(listed.Value).Name);
    }

    [Fact]
    public async Task GetProvider_ToolConfig_WinsOverHostOptions()
    {
        // The host's URL points nowhere: only the tool's api_url reaches the fake.
        await using var services = Services(o =>
        {
            Fake(o, "host-key");
            o.ApiUrl = "http://127.0.0.1:9/api";
            o.Target = "host-target";
        });
        var factory = services.GetRequiredService<ISandboxProviderFactory>();

        var selected = factory.GetProvider(Config(("api_key", "tool-key"), ("api_url", _server.ApiUrl), ("target", "eu"), ("organization_id", "org-tool")));
        var created = await selected.Value!.CreateAsync(new SandboxSpec { Name = "from-tool-config" });

        Assert.True(created.Succeeded, created.Error?.ToString());
        var request = Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
        Assert.Equal("Bearer tool-key", request.Headers["Authorization"]);
        Assert.Equal("org-tool", request.Headers["X-Daytona-Organization-ID"]);
        Assert.Equal("eu", request.Json!["target"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task GetProvider_BlankToolConfig_KeepsHostOptions(string? blank)
    {
        await using var services = Services(o => Fake(o, "host-key"));
        var factory = services.GetRequiredService<ISandboxProviderFactory>();

        var selected = factory.GetProvider(Config(("api_key", blank), ("api_url", blank), ("target", blank), ("organization_id", blank)));
        var listed = await selected.Value!.ListAsync();

        Assert.True(factory.HasCredentials(Config(("api_key", blank))));
        Assert.Same(services.GetRequiredService<ISandboxProvider>(), selected.Value);
        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.Equal("Bearer host-key", Assert.Single(_server.RequestsTo("GET", "/api/sandbox")).Headers["Authorization"]);
    }

    [Fact]
    public async Task GetProvider_NoKeyAnywhere_FailsNamingDaytonaApiKey()
    {
        // ApiKey = null is explicit, so a DAYTONA_API_KEY of the machine running the tests does not count.
        await using var services = Services(o => Fake(o, null));
        var factory = services.GetRequiredService<ISandboxProviderFactory>();

        var selected = factory.GetProvider(Config(("api_key", "")));

        Assert.False(factory.HasCredentials(Config()));
        Assert.False(selected.Succeeded);
        Assert.Equal(SandboxErrorKind.Authentication, selected.Error.Kind);
        Assert.Equal("The daytona backend is not configured: set DAYTONA_API_KEY (or config api_key in tools.yaml). Or use backend: local.", selected.Error.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetProvider_ToolKeyOnly_HasCredentialsAndWorks()
    {
        await using var services = Services(o => Fake(o, null));
        var factory = services.GetRequiredService<ISandboxProviderFactory>();

        var listed = await factory.GetProvider(Config(("api_key", "tool-key"))).Value!.ListAsync();

        Assert.True(factory.HasCredentials(Config(("api_key", "tool-key"))));
        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.Equal("Bearer tool-key", Assert.Single(_server.RequestsTo("GET", "/api/sandbox")).Headers["Authorization"]);
    }

    [Fact]
    public async Task GetProvider_BadUrlAndNoKey_ReportsBothInOneMessage()
    {
        await using var services = Services(o => Fake(o, null));
        var factory = services.GetRequiredService<ISandboxProviderFactory>();

        var selected = factory.GetProvider(Config(("api_url", "ftp://example.com")));

        Assert.False(selected.Succeeded);
        Assert.Contains("DAYTONA_API_KEY", selected.Error.Message);
        Assert.Contains("api_url must be an absolute http(s) URL, got 'ftp://example.com'", selected.Error.Message);
    }

    [Fact]
    public async Task GetProvider_SameSettings_SharesOneProviderPerDistinctSettings()
    {
        await using var services = Services(o => Fake(o, "host-key"));
        var factory = services.GetRequiredService<DaytonaProviderFactory>();

        var first = factory.GetProvider(Config(("api_key", "a"))).Value;
        var again = factory.GetProvider(Config(("api_key", "a"), ("backend", "daytona"))).Value;
        var other = factory.GetProvider(Config(("api_key", "b"))).Value;
        var host = factory.GetProvider(Config()).Value;

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.NotSame(first, host);
        Assert.Equal(3, factory.Count);
    }

    [Fact]
    public async Task Dispose_Container_DisposesFactoryAndItsProviders()
    {
        var services = Services(o => Fake(o, "host-key"));
        var factory = services.GetRequiredService<ISandboxProviderFactory>();
        _ = factory.GetProvider(Config(("api_key", "a")));
        _ = services.GetRequiredService<ISandboxProvider>();

        await services.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => factory.GetProvider(Config()));
    }

    private static ServiceProvider Services(Action<DaytonaOptions> configure) =>
        new ServiceCollection().AddDaytonaSandboxes(configure).BuildServiceProvider();

    private void Fake(DaytonaOptions options, string? key)
    {
        options.ApiKey = key;
        options.ApiUrl = _server.ApiUrl;
        options.OrganizationId = null;
        options.Target = null;
        options.RequestTimeout = TimeSpan.FromSeconds(20);
        options.StartTimeout = TimeSpan.FromSeconds(10);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
    }

    private static Dictionary<string, object?> Config(params (string Key, object? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
}
