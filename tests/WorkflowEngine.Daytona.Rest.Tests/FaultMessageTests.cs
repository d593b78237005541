using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RestSharp;
using WorkflowEngine.Daytona.Rest.Internal;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>Retry headers and the one message a failure ends in (after retries, for HTML pages, for timeouts).</summary>
public sealed class FaultMessageTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task GetAsync_429WithExhaustedRateLimitReset_WaitsForThatTierOnly()
    {
        _server.Add("reset");
        _server.Script("GET", "/api/sandbox/reset", new FakeResponse(429, "", new Dictionary<string, string>
        {
            ["X-RateLimit-Remaining-sandbox-lifecycle"] = "0",
            ["X-RateLimit-Reset-sandbox-lifecycle"] = "1",
            // A tier with requests left: its (long) reset must not be waited for.
            ["X-RateLimit-Remaining-sandbox-create"] = "250",
            ["X-RateLimit-Reset-sandbox-create"] = "50",
        }));
        using var provider = TestProviders.Provider(_server);
        var clock = Stopwatch.StartNew();

        var result = await provider.GetAsync("reset");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(2, _server.RequestsTo("GET", "/api/sandbox/reset").Count);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("Retry-After", "2", null, null, 2.0)]
    [InlineData("Retry-After-sandbox-lifecycle", "2", "Retry-After-authenticated", "1", 2.0)]
    [InlineData("Retry-After-anonymous", "1", "X-RateLimit-Reset-anonymous", "30", 1.0)]
    [InlineData("X-RateLimit-Reset-sandbox-create", "3", "X-RateLimit-Remaining-sandbox-create", "0", 3.0)]
    [InlineData("X-RateLimit-Reset-authenticated", "3", "X-RateLimit-Remaining-authenticated", "5", null)]
    [InlineData("Retry-After", "120", null, null, 60.0)]
    [InlineData("Retry-After", "soon", null, null, null)]
    public void RetryAfter_DaytonaHeaders_WaitAsked(string name, string value, string? otherName, string? otherValue, double? expectedSeconds)
    {
        var headers = new List<HeaderParameter> { new(name, value) };
        if (otherName is not null)
        {
            headers.Add(new HeaderParameter(otherName, otherValue!));
        }

        var response = new RestResponse(new RestRequest()) { StatusCode = HttpStatusCode.TooManyRequests, Headers = headers };

        var wait = DaytonaHttp.RetryAfter(response, TimeSpan.FromSeconds(60));

        Assert.Equal(expectedSeconds, wait?.TotalSeconds);
    }

    [Fact]
    public async Task GetAsync_503Always_OneMessageSayingHowManyAttempts()
    {
        _server.Script("GET", "/api/sandbox/down", Enumerable.Repeat(new FakeResponse(503, ""), 10).ToArray());
        using var provider = TestProviders.Provider(_server, o => o.RetryAttempts = 2);

        var result = await provider.GetAsync("down");

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Equal("Failed to get sandbox down: Service Unavailable (HTTP 503); gave up after 3 attempts", result.Error.Message);
        Assert.Equal(3, _server.RequestsTo("GET", "/api/sandbox/down").Count);
    }

    [Fact]
    public async Task GetAsync_502HtmlPage_StatusAndTitleNotMarkup()
    {
        const string Page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>\r\n</html>";
        _server.Script("GET", "/api/sandbox/lb", new FakeResponse(502, Page));
        using var provider = TestProviders.Provider(_server, o => o.RetryAttempts = 0);

        var result = await provider.GetAsync("lb");

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Equal("Failed to get sandbox lb: 502 Bad Gateway (HTTP 502)", result.Error.Message);
    }

    [Fact]
    public async Task GetAsync_SilentServer_RetriesTheTimeoutOnceThenOneMessage()
    {
        // A listening socket that never accepts: the request goes out and no answer ever comes.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            using var provider = new DaytonaSandboxProvider(TestProviders.Options(_server, o =>
            {
                o.ApiUrl = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/api";
                o.RequestTimeout = TimeSpan.FromMilliseconds(300);
                o.RetryAttempts = 3;
            }));

            var result = await provider.GetAsync("x");

            Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
            Assert.Equal("Failed to get sandbox x: the request timed out after 0.3 s; gave up after 2 attempts", result.Error.Message);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task CreateAsync_SilentServer_TimesOutOnceAndCannotLookUp()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            using var provider = new DaytonaSandboxProvider(TestProviders.Options(_server, o =>
            {
                o.ApiUrl = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/api";
                o.RequestTimeout = TimeSpan.FromMilliseconds(300);
                o.RetryAttempts = 0;
            }));
            provider.NewCreateToken = () => "t1";

            var result = await provider.CreateAsync(new SandboxSpec());

            Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
            Assert.StartsWith("Failed to create sandbox: the request timed out after 0.3 s; it may have created a sandbox all the same, and looking for it failed (Failed to look for the sandbox: the request timed out after 0.3 s)", result.Error.Message, StringComparison.Ordinal);
            Assert.EndsWith($"delete the sandbox labelled {DaytonaSandboxProvider.CreateTokenLabel}=t1 if there is one", result.Error.Message, StringComparison.Ordinal);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task CreateAsync_ConnectionRefused_NothingSentSoNoLookup()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var provider = new DaytonaSandboxProvider(TestProviders.Options(_server, o => o.ApiUrl = $"http://127.0.0.1:{port}/api"));

        var result = await provider.CreateAsync(new SandboxSpec());

        Assert.Equal(SandboxErrorKind.Connection, result.Error!.Kind);
        Assert.True(result.Error.Message.StartsWith($"Failed to create sandbox: cannot reach Daytona at http://127.0.0.1:{port} (", StringComparison.Ordinal), result.Error.Message);
        Assert.DoesNotContain("look", result.Error.Message);
        Assert.DoesNotContain("Exception", result.Error.Message);
    }
}
