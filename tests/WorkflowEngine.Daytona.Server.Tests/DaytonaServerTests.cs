using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WorkflowEngine.Daytona.Server.Tests;

public sealed class DaytonaServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task StartAsync_PortZero_ListensOnLoopbackWithApiUnderBase()
    {
        var server = fixture.Server;

        Assert.Equal("127.0.0.1", server.BaseUrl.Host);
        Assert.NotEqual(0, server.BaseUrl.Port);
        Assert.EndsWith("/", server.BaseUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(new Uri(server.BaseUrl, "api"), server.ApiUrl);

        using var response = await fixture.Client.GetAsync(server.ApiUrl + "/sandbox");
        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task StartAsync_MissingApiKey_ThrowsArgumentException()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DaytonaServer.StartAsync(fixture.Provider, new DaytonaServerOptions { Port = 0, ApiKey = " " }));

        Assert.Contains("API key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StartAsync_SeveralInvalidOptions_ReportsEveryProblemAtOnce()
    {
        var options = new DaytonaServerOptions { Port = 70000, BindAddress = "localhost-ish", ApiKey = null, PublicBaseUrl = "ftp://x" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => DaytonaServer.StartAsync(fixture.Provider, options));

        Assert.Contains("API key", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("70000", error.Message, StringComparison.Ordinal);
        Assert.Contains("localhost-ish", error.Message, StringComparison.Ordinal);
        Assert.Contains("ftp://x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NullProvider_ThrowsArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => DaytonaServer.StartAsync(null!, new DaytonaServerOptions { Port = 0, ApiKey = "k" }));
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_StopsListening()
    {
        var server = await DaytonaServer.StartAsync(fixture.Provider, new DaytonaServerOptions { Port = 0, ApiKey = "other-key" });
        var client = fixture.NewClient("other-key", server.BaseUrl);
        using (var before = await client.GetAsync("api/sandbox"))
        {
            await HttpAssert.ExpectAsync(before, HttpStatusCode.OK);
        }

        await server.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("api/sandbox"));
    }

    [Fact]
    public async Task CreateSandbox_DefaultOptions_ToolboxProxyUrlRoutesToTheToolbox()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var id = sandbox.GetProperty("id").GetString()!;
        var proxy = sandbox.GetProperty("toolboxProxyUrl").GetString()!;

        Assert.Equal(new Uri(fixture.Server.BaseUrl, "toolbox").AbsoluteUri, proxy);

        // A client builds toolbox URLs as {toolboxProxyUrl}/{sandbox.id}/...; that must reach this sandbox.
        var marker = Guid.NewGuid().ToString("N");
        using var response = await fixture.Client.PostAsJsonAsync($"{proxy}/{id}/process/execute", new { command = $"echo {marker}" });
        var result = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Contains(marker, result.GetProperty("result").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSandbox_CustomOptions_ReportsPublicBaseUrlOrganizationAndTarget()
    {
        var options = new DaytonaServerOptions
        {
            Port = 0,
            ApiKey = "custom-key",
            PublicBaseUrl = "https://proxy.example.test/daytona/",
            OrganizationId = "org-" + Guid.NewGuid().ToString("N")[..6],
            Target = "region-" + Guid.NewGuid().ToString("N")[..6],
        };
        await using var server = await DaytonaServer.StartAsync(fixture.Provider, options);
        var client = fixture.NewClient("custom-key", server.BaseUrl);

        var sandbox = await fixture.CreateSandboxAsync(client: client);
        using var proxyResponse = await client.GetAsync($"api/sandbox/{sandbox.GetProperty("id").GetString()}/toolbox-proxy-url");
        var proxy = await HttpAssert.ExpectAsync(proxyResponse, HttpStatusCode.OK);

        var expected = options.PublicBaseUrl.TrimEnd('/') + "/toolbox";
        Assert.Equal(expected, sandbox.GetProperty("toolboxProxyUrl").GetString());
        Assert.Equal(expected, proxy.GetProperty("url").GetString());
        Assert.Equal(options.OrganizationId, sandbox.GetProperty("organizationId").GetString());
        Assert.Equal(options.Target, sandbox.GetProperty("target").GetString());
    }
}
