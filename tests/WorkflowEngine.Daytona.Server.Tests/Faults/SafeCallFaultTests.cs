using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Tests.Faults;

/// <summary>
/// Faults on safe calls (GET, list) between the REST provider and the real server: rate limits with Daytona's retry
/// headers, 503, a dropped connection — each recovers by sending the call again — and what the user reads when the
/// retries run out or the error body is empty, HTML or broken.
/// </summary>
public sealed class SafeCallFaultTests : IClassFixture<FaultRig>
{
    private readonly FaultRig _rig;

    public SafeCallFaultTests(FaultRig rig)
    {
        _rig = rig;
        _rig.Reset();
    }

    [FaultTheory]
    [InlineData("Retry-After-sandbox-lifecycle", null)]
    [InlineData("Retry-After", null)]
    [InlineData("X-RateLimit-Reset-sandbox-lifecycle", "X-RateLimit-Remaining-sandbox-lifecycle")]
    public async Task GetAsync_429WithRetryHeader_WaitsAsToldAndRecovers(string header, string? remainingHeader)
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var path = $"/api/sandbox/{sandbox.Id}";
        var headers = new Dictionary<string, string> { [header] = "1" };
        if (remainingHeader is not null)
        {
            headers[remainingHeader] = "0";
        }

        _rig.Proxy.Intercept = async (context, attempt) =>
        {
            if (!Is(context, "GET", path) || attempt > 1)
            {
                return false;
            }

            await FaultRig.RespondAsync(context, 429, """{"statusCode":429,"message":"Rate limit exceeded","error":"Too Many Requests"}""", headers: headers);
            return true;
        };
        var clock = Stopwatch.StartNew();

        var result = await _rig.Client.GetAsync(sandbox.Id);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(sandbox.Id, result.Value.Id);
        Assert.Equal(2, _rig.Proxy.Count("GET", path));
        // The fast backoff (50 ms) would have retried far sooner: only the header explains a wait of a second.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [FaultFact]
    public async Task ListAsync_503WithEmptyBody_RetriedAndRecovers()
    {
        var sandbox = await _rig.SharedSandboxAsync();
        _rig.Proxy.Intercept = async (context, attempt) =>
        {
            if (!Is(context, "GET", "/api/sandbox") || attempt > 1)
            {
                return false;
            }

            await FaultRig.RespondAsync(context, 503);
            return true;
        };

        var result = await _rig.Client.ListAsync();

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Contains(result.Value, s => s.Id == sandbox.Id);
        Assert.Equal(2, _rig.Proxy.Count("GET", "/api/sandbox"));
    }

    [FaultFact]
    public async Task GetAsync_ConnectionDropped_RetriedAndRecovers()
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var path = $"/api/sandbox/{sandbox.Id}";
        _rig.Proxy.Intercept = (context, attempt) =>
        {
            if (!Is(context, "GET", path) || attempt > 1)
            {
                return Task.FromResult(false);
            }

            context.Abort();
            return Task.FromResult(true);
        };

        var result = await _rig.Client.GetAsync(sandbox.Id);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("started", result.Value.State);
        Assert.Equal(2, _rig.Proxy.Count("GET", path));
    }

    [FaultFact]
    public async Task GetAsync_SlowResponseOnce_RetriedAndRecovers()
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var path = $"/api/sandbox/{sandbox.Id}";
        _rig.Proxy.Intercept = async (context, attempt) =>
        {
            if (!Is(context, "GET", path) || attempt > 1)
            {
                return false;
            }

            await _rig.ForwardThenDelayAsync(context, FaultRig.RequestTimeout + TimeSpan.FromSeconds(1));
            return true;
        };

        var result = await _rig.Client.GetAsync(sandbox.Id);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(2, _rig.Proxy.Count("GET", path));
    }

    [FaultFact]
    public async Task GetAsync_503EveryTime_GivesUpAfterRetryBudgetWithOneMessage()
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var path = $"/api/sandbox/{sandbox.Id}";
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!Is(context, "GET", path))
            {
                return false;
            }

            await FaultRig.RespondAsync(context, 503, FaultRig.ApiError(503, "Service Unavailable", path));
            return true;
        };

        var result = await _rig.Client.GetAsync(sandbox.Id);

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Failed, result.Error.Kind);
        Assert.Equal(FaultRig.RetryAttempts + 1, _rig.Proxy.Count("GET", path));
        Assert.Equal(
            $"Failed to get sandbox {sandbox.Id}: Service Unavailable (HTTP 503); gave up after {FaultRig.RetryAttempts + 1} attempts",
            result.Error.Message);
    }

    [FaultTheory]
    [InlineData(500, "", null, SandboxErrorKind.Failed, "Internal Server Error (HTTP 500)")]
    [InlineData(502, "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>", "text/html", SandboxErrorKind.Failed, "502 Bad Gateway (HTTP 502)")]
    [InlineData(400, "{\"message\":", "application/json", SandboxErrorKind.InvalidArgument, "(HTTP 400)")]
    [InlineData(404, "", null, SandboxErrorKind.NotFound, "Not Found (HTTP 404)")]
    [InlineData(401, "{\"statusCode\":401,\"message\":\"Invalid credentials\",\"error\":\"Unauthorized\"}", "application/json", SandboxErrorKind.Authentication, "Invalid credentials (HTTP 401)")]
    public async Task GetAsync_BadErrorBody_TypedErrorWithStatusAndNoExceptionText(int status, string body, string? contentType, SandboxErrorKind kind, string expected)
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var path = $"/api/sandbox/{sandbox.Id}";
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!Is(context, "GET", path))
            {
                return false;
            }

            await FaultRig.RespondAsync(context, status, body, contentType);
            return true;
        };

        var result = await _rig.Client.GetAsync(sandbox.Id);

        Assert.False(result.Succeeded);
        Assert.Equal(kind, result.Error.Kind);
        var message = result.Error.Message;
        Assert.StartsWith($"Failed to get sandbox {sandbox.Id}: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(message, "Failed to"));
        AssertNoExceptionText(message);
        // 502 is transient (retried to the budget); the others are answers and are not sent again.
        Assert.Equal(status == 502 ? FaultRig.RetryAttempts + 1 : 1, _rig.Proxy.Count("GET", path));
    }

    [FaultFact]
    public async Task StopAsync_409WithDaytonaBody_ConflictWithServerMessageSentOnce()
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var path = $"/api/sandbox/{sandbox.Id}/stop";
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!Is(context, "POST", path))
            {
                return false;
            }

            await FaultRig.RespondAsync(context, 409, FaultRig.ApiError(409, "Sandbox state change in progress", path));
            return true;
        };

        var result = await _rig.Client.StopAsync(sandbox.Id);

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Conflict, result.Error.Kind);
        Assert.Equal($"Failed to stop sandbox {sandbox.Id}: Sandbox state change in progress (HTTP 409)", result.Error.Message);
        Assert.Equal(1, _rig.Proxy.Count("POST", path));
        Assert.Equal("started", (await _rig.Local.GetAsync(sandbox.Id)).Value!.State);
    }

    internal static bool Is(HttpContext context, string method, string path) =>
        context.Request.Method == method && context.Request.Path.Value == path;

    internal static void AssertNoExceptionText(string message)
    {
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("<", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", message, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
