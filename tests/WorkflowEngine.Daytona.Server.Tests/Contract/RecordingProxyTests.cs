using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>The proxy forwards faithfully, records what it saw, and lets a test inject faults.</summary>
public sealed class RecordingProxyTests : IAsyncLifetime
{
    private WebApplication _target = null!;
    private RecordingProxy _proxy = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        _target = builder.Build();
        _target.Run(async context =>
        {
            // Echo: the body's SHA-256, its length, what the target saw of the request.
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            context.Response.StatusCode = context.Request.Query.ContainsKey("status") ? int.Parse(context.Request.Query["status"]!, System.Globalization.CultureInfo.InvariantCulture) : 200;
            context.Response.Headers["X-Seen-Method"] = context.Request.Method;
            context.Response.Headers["X-Seen-Target"] = context.Request.Path + context.Request.QueryString;
            context.Response.Headers["X-Seen-Auth"] = context.Request.Headers.Authorization.ToString();
            context.Response.Headers["X-Seen-Host"] = context.Request.Host.ToString();
            context.Response.Headers["X-Seen-Content-Type"] = context.Request.ContentType ?? "";
            if (context.Request.Query.ContainsKey("big"))
            {
                context.Response.ContentType = "application/octet-stream";
                await context.Response.Body.WriteAsync(new byte[3 * 1024 * 1024]);
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"length":{{bytes.Length}},"sha256":"{{Convert.ToHexString(SHA256.HashData(bytes))}}"}""");
        });
        await _target.StartAsync();
        var address = _target.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

        _proxy = await RecordingProxy.StartAsync(new Uri(address + "/"));
        _client = new HttpClient { BaseAddress = _proxy.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _target.StopAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public void StartAsync_Loopback_FreePort()
    {
        Assert.Equal("127.0.0.1", _proxy.BaseUrl.Host);
        Assert.NotEqual(0, _proxy.BaseUrl.Port);
        Assert.EndsWith("/", _proxy.BaseUrl.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_JsonPost_ForwardsEverythingAndRecordsExchange()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/sandbox/a%20b/start?x=1&y=two");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "k");
        request.Content = new StringContent("""{"hello":"world"}""", Encoding.UTF8, "application/json");

        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST", response.Headers.GetValues("X-Seen-Method").Single());
        Assert.Equal("/api/sandbox/a%20b/start?x=1&y=two", response.Headers.GetValues("X-Seen-Target").Single());
        Assert.Equal("Bearer k", response.Headers.GetValues("X-Seen-Auth").Single());
        Assert.DoesNotContain(_proxy.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Seen-Host").Single(), StringComparison.Ordinal);
        Assert.StartsWith("application/json", response.Headers.GetValues("X-Seen-Content-Type").Single(), StringComparison.Ordinal);
        Assert.Contains("\"length\":17", body, StringComparison.Ordinal);

        var exchange = Assert.Single(_proxy.Exchanges);
        Assert.Equal("POST", exchange.Method);
        Assert.Equal("/api/sandbox/a%20b/start?x=1&y=two", exchange.PathAndQuery);
        Assert.Equal("/api/sandbox/a%20b/start", exchange.Path);
        Assert.Equal("""{"hello":"world"}""", exchange.RequestText);
        Assert.StartsWith("application/json", exchange.RequestContentType, StringComparison.Ordinal);
        Assert.Equal(200, exchange.Status);
        Assert.Equal("application/json", exchange.ResponseContentType);
        Assert.Equal(body, exchange.ResponseText);
        Assert.Equal("Bearer k", exchange.RequestHeaders["Authorization"]);
        Assert.False(exchange.Intercepted);
        Assert.Equal(1, exchange.Attempt);
    }

    [Fact]
    public async Task Forward_LargeBodies_StreamedWholeRecordedUpToLimit()
    {
        var payload = RandomNumberGenerator.GetBytes(2 * RecordingProxy.MaxRecordedBytes);

        using var upload = await _client.PutAsync("toolbox/x/files", new ByteArrayContent(payload));
        var echoed = await upload.Content.ReadAsStringAsync();
        var download = await _client.GetByteArrayAsync("toolbox/x/files/download?big=1");

        Assert.Contains($"\"length\":{payload.Length}", echoed, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(SHA256.HashData(payload)), echoed, StringComparison.Ordinal);
        Assert.Equal(3 * 1024 * 1024, download.Length);
        var (put, get) = (_proxy.Exchanges[0], _proxy.Exchanges[1]);
        Assert.True(put.RequestBodyTruncated);
        Assert.Equal(RecordingProxy.MaxRecordedBytes, put.RequestBody.Length);
        Assert.Equal(payload.AsSpan(0, RecordingProxy.MaxRecordedBytes).ToArray(), put.RequestBody);
        Assert.True(get.ResponseBodyTruncated);
        Assert.Equal(RecordingProxy.MaxRecordedBytes, get.ResponseBody.Length);
    }

    [Fact]
    public async Task Forward_ErrorStatus_PassedThrough()
    {
        using var response = await _client.GetAsync("api/sandbox/x?status=404");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, Assert.Single(_proxy.Exchanges).Status);
    }

    [Fact]
    public async Task Intercept_FirstAttempt429ThenForward_CountsAttemptsPerMethodAndPath()
    {
        var attempts = new List<int>();
        _proxy.Intercept = async (context, attempt) =>
        {
            lock (attempts)
            {
                attempts.Add(attempt);
            }

            if (attempt > 1)
            {
                return false;
            }

            context.Response.StatusCode = 429;
            context.Response.Headers["Retry-After-authenticated"] = "1";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"statusCode":429,"message":"Rate limit exceeded","error":"Too Many Requests"}""");
            return true;
        };

        using var first = await _client.GetAsync("api/sandbox/x?a=1");
        using var second = await _client.GetAsync("api/sandbox/x?a=2");
        using var other = await _client.PostAsync("api/sandbox/x", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal("1", first.Headers.GetValues("Retry-After-authenticated").Single());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode);
        Assert.Equal([1, 2, 1], attempts);
        Assert.Equal(2, _proxy.Count("GET", "/api/sandbox/x"));
        Assert.Equal(1, _proxy.Count("post", "/api/sandbox/x"));
        Assert.Equal(0, _proxy.Count("DELETE", "/api/sandbox/x"));
        Assert.Equal([true, false, true], _proxy.Exchanges.Select(e => e.Intercepted));
        Assert.Equal([429, 200, 429], _proxy.Exchanges.Select(e => e.Status));
    }

    [Fact]
    public async Task Intercept_Abort_ClientSeesConnectionFailure()
    {
        _proxy.Intercept = (context, _) =>
        {
            context.Abort();
            return Task.FromResult(true);
        };

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync("api/sandbox"));

        var exchange = Assert.Single(_proxy.Exchanges);
        Assert.True(exchange.Intercepted);
        Assert.Equal(0, exchange.Status);
    }

    [Fact]
    public async Task Intercept_DelayPastClientTimeout_ClientTimesOut()
    {
        _proxy.Intercept = async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return true;
        };
        using var impatient = new HttpClient { BaseAddress = _proxy.BaseUrl, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync("api/sandbox"));
    }

    [Fact]
    public async Task Forward_TargetDown_Answers502AndRecordsError()
    {
        await using var orphan = await RecordingProxy.StartAsync(new Uri("http://127.0.0.1:1/"));
        using var client = new HttpClient { BaseAddress = orphan.BaseUrl };

        using var response = await client.GetAsync("api/sandbox");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var exchange = Assert.Single(orphan.Exchanges);
        Assert.Equal(502, exchange.Status);
        Assert.NotNull(exchange.Error);
    }

    [Fact]
    public async Task Clear_ForgetsExchangesAndCounts()
    {
        using var _ = await _client.GetAsync("api/sandbox");

        _proxy.Clear();

        Assert.Empty(_proxy.Exchanges);
        Assert.Equal(0, _proxy.Count("GET", "/api/sandbox"));
    }
}
