using System.Text.Json;
using System.Text.RegularExpressions;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Tests.Faults;

/// <summary>
/// Faults on <c>POST /api/sandbox</c> after the server really created the sandbox: the create is sent once, fails with
/// one message, and the sandbox it left on the server is found by its create token and deleted — the local provider
/// behind the server holds nothing afterwards.
/// </summary>
public sealed class CreateFaultTests : IClassFixture<FaultRig>
{
    private const string CreatePath = "/api/sandbox";

    private readonly FaultRig _rig;

    public CreateFaultTests(FaultRig rig)
    {
        _rig = rig;
        _rig.Reset();
    }

    [FaultFact]
    public async Task CreateAsync_SlowResponsePastTimeout_TimeoutAndCreatedSandboxDeleted()
    {
        var before = await _rig.LocalIdsAsync();
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            await _rig.ForwardThenDelayAsync(context, FaultRig.RequestTimeout + TimeSpan.FromSeconds(1.5));
            return true;
        };

        var result = await _rig.Client.CreateAsync(new SandboxSpec { Name = "slow-" + Guid.NewGuid().ToString("N")[..6] });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Timeout, result.Error.Kind);
        var leftover = AssertCleanedUp(result.Error.Message, $"Failed to create sandbox: the request timed out after {FaultRig.RequestTimeout.TotalSeconds:0.###} s");
        Assert.Equal(1, _rig.Proxy.Count("POST", CreatePath));
        Assert.Equal(1, _rig.Proxy.Count("DELETE", $"{CreatePath}/{leftover}"));
        Assert.Equal(before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_ServerFinishesAfterFirstLookup_CreatedSandboxDeleted()
    {
        var before = await _rig.LocalIdsAsync();
        var lookedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (SafeCallFaultTests.Is(context, "GET", CreatePath))
            {
                lookedUp.TrySetResult();
                return false;
            }

            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            // The sandbox appears only once the client has looked for it and found nothing.
            await FaultRig.BufferRequestBodyAsync(context);
            await lookedUp.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var answer = await _rig.ForwardAsync(context);
            created.TrySetResult();
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
            return true;
        };

        var client = _rig.NewClient();
        var result = await client.CreateAsync(new SandboxSpec { Name = "late-" + Guid.NewGuid().ToString("N")[..6] });
        await created.Task.WaitAsync(TimeSpan.FromMinutes(2));
        client.Dispose();

        Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
        Assert.Equal(1, _rig.Proxy.Count("POST", CreatePath));
        Assert.Equal(before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_ConnectionDroppedAfterServerCreated_UnavailableAndCreatedSandboxDeleted()
    {
        var before = await _rig.LocalIdsAsync();
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            await _rig.ForwardThenAbortAsync(context);
            return true;
        };

        var result = await _rig.Client.CreateAsync(new SandboxSpec());

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Connection, result.Error.Kind);
        AssertCleanedUp(result.Error.Message, $"Failed to create sandbox: the connection to Daytona at {_rig.Proxy.BaseUrl.GetLeftPart(UriPartial.Authority)} was lost before the response arrived");
        Assert.Equal(1, _rig.Proxy.Count("POST", CreatePath));
        Assert.Equal(before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_500AfterServerCreated_FailedAndCreatedSandboxDeleted()
    {
        var before = await _rig.LocalIdsAsync();
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            await _rig.ForwardAsync(context);
            await FaultRig.RespondAsync(context, 500);
            return true;
        };

        var result = await _rig.Client.CreateAsync(new SandboxSpec());

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Failed, result.Error.Kind);
        AssertCleanedUp(result.Error.Message, "Failed to create sandbox: Internal Server Error (HTTP 500)");
        Assert.Equal(1, _rig.Proxy.Count("POST", CreatePath));
        Assert.Equal(before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_CancelledWhileAnswerIsInFlight_ThrowsAndCreatedSandboxDeleted()
    {
        var before = await _rig.LocalIdsAsync();
        using var cancel = new CancellationTokenSource();
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            var answer = await _rig.ForwardAsync(context);
            // The server has created it; the caller gives up before the answer arrives.
            await cancel.CancelAsync();
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            context.Response.StatusCode = answer.Status;
            return true;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _rig.Client.CreateAsync(new SandboxSpec(), cancel.Token));

        Assert.Equal(1, _rig.Proxy.Count("POST", CreatePath));
        Assert.Single(_rig.Proxy.Exchanges, e => e.Method == "GET" && e.Path == CreatePath);
        Assert.Equal(before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_429_NotRetriedAndNothingToClean()
    {
        var before = await _rig.LocalIdsAsync();
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            await FaultRig.RespondAsync(context, 429, """{"statusCode":429,"message":"Rate limit exceeded","error":"Too Many Requests"}""", headers: new Dictionary<string, string> { ["Retry-After-sandbox-create"] = "1" });
            return true;
        };

        var result = await _rig.Client.CreateAsync(new SandboxSpec());

        Assert.Equal(SandboxErrorKind.RateLimited, result.Error!.Kind);
        Assert.Equal("Failed to create sandbox: rate limit exceeded: Rate limit exceeded (HTTP 429)", result.Error.Message);
        Assert.Equal(["POST /api/sandbox"], _rig.Proxy.Exchanges.Select(e => $"{e.Method} {e.Path}").ToArray());
        Assert.Equal(before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_NoFault_TokenSentButNotShown()
    {
        var created = await _rig.CreateAsync("plain");
        try
        {
            var post = Assert.Single(_rig.Proxy.Exchanges, e => e.Method == "POST" && e.Path == CreatePath);
            var labels = JsonDocument.Parse(post.RequestText).RootElement.GetProperty("labels");
            Assert.False(string.IsNullOrWhiteSpace(labels.GetProperty(DaytonaSandboxProvider.CreateTokenLabel).GetString()));
            Assert.DoesNotContain(DaytonaSandboxProvider.CreateTokenLabel, created.Labels.Keys);
            Assert.DoesNotContain(DaytonaSandboxProvider.CreateTokenLabel, (await _rig.Client.GetAsync(created.Id)).Value!.Labels.Keys);
        }
        finally
        {
            await _rig.Local.DeleteAsync(created.Id);
        }
    }

    /// <summary>
    /// Asserts the one message: the original failure (starting with <paramref name="failure"/>), then that the
    /// server's sandbox was deleted; returns that sandbox's id.
    /// </summary>
    private string AssertCleanedUp(string message, string failure)
    {
        var match = Regex.Match(message, "^" + Regex.Escape(failure) + "[^;]*; the server had created sandbox (?<id>[^ ;]+) all the same, so it was deleted$");
        Assert.True(match.Success, message);
        SafeCallFaultTests.AssertNoExceptionText(message);
        var lookup = Assert.Single(_rig.Proxy.Exchanges, e => e.Method == "GET" && e.Path == CreatePath);
        Assert.Contains("labels=", lookup.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(DaytonaSandboxProvider.CreateTokenLabel), lookup.PathAndQuery, StringComparison.Ordinal);
        var id = match.Groups["id"].Value;
        Assert.Equal(1, _rig.Proxy.Count("DELETE", $"{CreatePath}/{id}"));
        return id;
    }
}
