using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

public sealed class ErrorAndRetryTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData(400, "json", SandboxErrorKind.InvalidArgument, "Sandbox is not stopped")]
    [InlineData(400, "array", SandboxErrorKind.InvalidArgument, "name must be a string, cpu must be positive")]
    [InlineData(401, "json", SandboxErrorKind.Authentication, "Invalid credentials")]
    [InlineData(401, "empty", SandboxErrorKind.Authentication, "Unauthorized")]
    [InlineData(403, "json", SandboxErrorKind.Authorization, "not authorized")]
    [InlineData(404, "empty", SandboxErrorKind.NotFound, "Not Found")]
    [InlineData(404, "malformed", SandboxErrorKind.NotFound, "{\"message\": ")]
    [InlineData(409, "json", SandboxErrorKind.Conflict, "Sandbox state change in progress")]
    [InlineData(409, "text", SandboxErrorKind.Conflict, "conflict as plain text")]
    [InlineData(429, "json", SandboxErrorKind.RateLimited, "Rate limit exceeded")]
    [InlineData(429, "empty", SandboxErrorKind.RateLimited, "rate limit")]
    [InlineData(408, "json", SandboxErrorKind.Timeout, "Request Timeout")]
    [InlineData(500, "json", SandboxErrorKind.Failed, "An unexpected error occurred.")]
    [InlineData(422, "malformed", SandboxErrorKind.Failed, "{\"message\": ")]
    public async Task GetAsync_ErrorStatus_MapsKindAndMessage(int status, string bodyKind, SandboxErrorKind expectedKind, string expectedText)
    {
        var message = expectedText;
        var body = bodyKind switch
        {
            "json" => FakeDaytonaServer.Error(status, message, "/api/sandbox/x"),
            "array" => $$"""{"statusCode":{{status}},"message":["name must be a string","cpu must be positive"],"error":"Bad Request"}""",
            "malformed" => "{\"message\": ",
            "text" => "conflict as plain text",
            _ => "",
        };
        _server.Script("GET", "/api/sandbox/x", new FakeResponse(status, body));
        using var provider = TestProviders.Provider(_server, o => o.RetryAttempts = 0);

        var result = await provider.GetAsync("x");

        Assert.False(result.Succeeded);
        Assert.Equal(expectedKind, result.Error.Kind);
        Assert.Contains(expectedText, result.Error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"HTTP {status}", result.Error.Message);
    }

    [Fact]
    public async Task GetAsync_429WithRetryAfter_WaitsAndSucceeds()
    {
        var box = _server.Add("r");
        _server.Script("GET", "/api/sandbox/r", new FakeResponse(429, """{"statusCode":429,"message":"Rate limit exceeded","error":"Too Many Requests"}""", new Dictionary<string, string> { ["Retry-After"] = "1" }));
        using var provider = TestProviders.Provider(_server);
        var clock = Stopwatch.StartNew();

        var result = await provider.GetAsync("r");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(box.Id, result.Value.Id);
        Assert.Equal(2, _server.RequestsTo("GET", "/api/sandbox/r").Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task GetAsync_429WithTierRetryAfter_WaitsAndSucceeds()
    {
        _server.Add("tier");
        _server.Script("GET", "/api/sandbox/tier", new FakeResponse(429, "", new Dictionary<string, string> { ["Retry-After-authenticated"] = "1", ["X-RateLimit-Remaining-authenticated"] = "0" }));
        using var provider = TestProviders.Provider(_server);
        var clock = Stopwatch.StartNew();

        var result = await provider.GetAsync("tier");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task GetAsync_503Twice_RetriedAndSucceeds()
    {
        _server.Add("u");
        _server.Script("GET", "/api/sandbox/u", new FakeResponse(503, ""), new FakeResponse(502, "bad gateway"));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.GetAsync("u");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(3, _server.RequestsTo("GET", "/api/sandbox/u").Count);
    }

    [Fact]
    public async Task GetAsync_503Always_GivesUpAfterRetryAttempts()
    {
        _server.Script("GET", "/api/sandbox/d", Enumerable.Repeat(new FakeResponse(503, ""), 10).ToArray());
        using var provider = TestProviders.Provider(_server, o => o.RetryAttempts = 2);

        var result = await provider.GetAsync("d");

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Contains("HTTP 503", result.Error.Message);
        Assert.Equal(3, _server.RequestsTo("GET", "/api/sandbox/d").Count);
    }

    [Fact]
    public async Task ListAsync_503OnSecondPage_RetriesThatPage()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Add($"l{i}");
        }

        _server.PageSize = 2;
        using var provider = TestProviders.Provider(_server);
        var first = await provider.ListAsync();
        Assert.True(first.Succeeded, first.Error?.ToString());
        _server.Script("GET", "/api/sandbox", new FakeResponse(200, """{"items":[],"nextCursor":"2"}"""), new FakeResponse(504, ""));

        var result = await provider.ListAsync();

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(["l2"], result.Value.Select(s => s.Name).ToArray());
    }

    [Fact]
    public async Task DeleteAsync_503_IsRetried()
    {
        _server.Add("del");
        _server.Script("DELETE", "/api/sandbox/del", new FakeResponse(503, ""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.DeleteAsync("del");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(2, _server.RequestsTo("DELETE", "/api/sandbox/del").Count);
    }

    [Fact]
    public async Task CreateAsync_503_IsNotRetried()
    {
        _server.Script("POST", "/api/sandbox", new FakeResponse(503, FakeDaytonaServer.Error(503, "Service Unavailable", "/api/sandbox")));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.CreateAsync(new SandboxSpec { Name = "once" });

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Contains("create sandbox", result.Error.Message);
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
    }

    [Fact]
    public async Task CreateAsync_429_IsNotRetried()
    {
        _server.Script("POST", "/api/sandbox", new FakeResponse(429, "", new Dictionary<string, string> { ["Retry-After"] = "1" }));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.CreateAsync(new SandboxSpec());

        Assert.Equal(SandboxErrorKind.RateLimited, result.Error!.Kind);
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
    }

    [Fact]
    public async Task StartAsync_503_IsNotRetried()
    {
        _server.Add("st", "stopped");
        _server.Script("POST", "/api/sandbox/st/start", new FakeResponse(503, ""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.StartAsync("st");

        Assert.False(result.Succeeded);
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox/st/start"));
    }

    [Fact]
    public async Task GetAsync_ConnectionRefused_Unavailable()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var provider = new DaytonaSandboxProvider(new DaytonaOptions
        {
            ApiKey = "k",
            ApiUrl = $"http://127.0.0.1:{port}/api",
            RetryAttempts = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        });

        var result = await provider.GetAsync("x");

        Assert.Equal(SandboxErrorKind.Connection, result.Error!.Kind);
        Assert.Contains("cannot reach Daytona", result.Error.Message);
    }

    [Fact]
    public async Task GetAsync_SlowServer_Timeout()
    {
        // Nothing answers on a listening socket that never accepts.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            using var slow = new DaytonaSandboxProvider(TestProviders.Options(_server, o =>
            {
                o.ApiUrl = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/api";
                o.RequestTimeout = TimeSpan.FromMilliseconds(300);
            }));

            var result = await slow.GetAsync("x");

            Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task AnyOperation_MissingApiKey_FailsWithKeyMessage()
    {
        using var provider = TestProviders.Provider(_server, o => o.ApiKey = null);

        var created = await provider.CreateAsync(new SandboxSpec());
        var listed = await provider.ListAsync();
        var exec = await provider.Process.ExecAsync("x", new ExecRequest { Command = ["true"] });

        Assert.Equal(SandboxErrorKind.Authentication, created.Error!.Kind);
        Assert.Equal("set DAYTONA_API_KEY (or config api_key in tools.yaml)", created.Error.Message);
        Assert.Equal(created.Error, listed.Error);
        Assert.Equal(created.Error, exec.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEveryOne()
    {
        var options = new DaytonaOptions { ApiKey = " ", ApiUrl = "not a url", RetryAttempts = -1, StartTimeout = TimeSpan.FromSeconds(-1) };

        var message = options.Validate();

        Assert.NotNull(message);
        Assert.StartsWith("set DAYTONA_API_KEY (or config api_key in tools.yaml)", message, StringComparison.Ordinal);
        Assert.Contains("api_url", message);
        Assert.Contains("retry_attempts", message);
        Assert.Contains("start_timeout", message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void Validate_CreateWatchTimeoutOutOfRange_SaysTheRange(int seconds)
    {
        var options = new DaytonaOptions { ApiKey = "k", CreateWatchTimeout = TimeSpan.FromSeconds(seconds) };

        Assert.Equal($"create_watch_timeout must be between 0 (no watching after a failed create) and 60 min, got {TimeSpan.FromSeconds(seconds)}", options.Validate());
    }

    [Fact]
    public void Validate_Defaults_AreDocumented()
    {
        var options = new DaytonaOptions { ApiKey = "k" };

        Assert.Null(options.Validate());
        Assert.Equal(TimeSpan.FromSeconds(60), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.StartTimeout);
        Assert.Equal(3, options.RetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), options.CreateWatchTimeout);
        if (Environment.GetEnvironmentVariable("DAYTONA_API_URL") is null)
        {
            Assert.Equal("https://app.daytona.io/api", options.ApiUrl);
        }
    }
}
