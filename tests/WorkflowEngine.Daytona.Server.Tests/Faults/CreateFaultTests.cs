using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Tests.Faults;

/// <summary>
/// Faults on <c>POST /api/sandbox</c> after the server really created the sandbox: the create is sent once, fails with
/// one message, and the sandbox it left on the server is found by its create token and deleted — the local provider
/// behind the server holds nothing afterwards.
/// </summary>
public sealed class CreateFaultTests : IClassFixture<FaultRig>, IAsyncLifetime
{
    private const string CreatePath = "/api/sandbox";

    /// <summary>How long a test waits for a step that takes well under a second (a generous bound, not a pause).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The clients' request timeout. The create's own limit runs on a fake clock where a test times it out; the other
    /// calls (lookups, deletes) run on the real one, and a long limit keeps a loaded machine from timing them out.
    /// </summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    private static readonly string TimedOut = $"Failed to create sandbox: the request timed out after {ClientTimeout.TotalSeconds:0.###} s";

    private readonly FaultRig _rig;
    private readonly DaytonaSandboxProvider _client;

    public CreateFaultTests(FaultRig rig)
    {
        _rig = rig;
        _rig.Reset();
        _client = _rig.NewClient(requestTimeout: ClientTimeout);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [FaultFact]
    public async Task CreateAsync_SlowResponsePastTimeout_TimeoutAndCreatedSandboxDeleted()
    {
        var before = await _rig.LocalIdsAsync();
        var clock = new FakeTimeProvider();
        await using var client = _rig.NewClient(clock, ClientTimeout);
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            // The server has made it; the answer is held until the client gives up on it.
            await _rig.ForwardAsync(context);
            created.TrySetResult();
            await FaultRig.HoldUntilClientLeavesAsync(context);
            return true;
        };

        var creating = client.CreateAsync(new SandboxSpec { Name = "slow-" + Guid.NewGuid().ToString("N")[..6] }).AsTask();
        await created.Task.WaitAsync(Patience);
        clock.Advance(ClientTimeout);
        var result = await creating;
        await client.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Timeout, result.Error.Kind);
        var leftover = AssertCleanedUp(result.Error.Message, TimedOut);
        Assert.Equal(1, _rig.Proxy.Count("POST", CreatePath));
        Assert.Equal(1, _rig.Proxy.Count("DELETE", $"{CreatePath}/{leftover}"));
        Assert.Equal(before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_ServerFinishesAfterFirstLookup_TimeoutThenAnsweredSandboxDeleted()
    {
        var late = LateCreate(afterCreate: FaultRig.AnswerAsync);
        await using var client = _rig.NewClient(late.Clock, ClientTimeout);

        var result = await late.CreateAsync(client);

        AssertStillWatching(result);
        var id = await late.CreatedIdAsync();
        await client.WhenCreateWatchesDoneAsync().WaitAsync(Patience);
        // The late answer named the sandbox: deleted without another lookup.
        Assert.Single(_rig.Proxy.Exchanges, e => e.Method == "GET" && e.Path == CreatePath);
        Assert.Equal(1, _rig.Proxy.Count("POST", CreatePath));
        Assert.Equal(1, _rig.Proxy.Count("DELETE", $"{CreatePath}/{id}"));
        Assert.Equal(late.Before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_ServerFinishesAfterFirstLookupThenConnectionDropped_FoundByLabelAgainAndDeleted()
    {
        var late = LateCreate(afterCreate: (context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        await using var client = _rig.NewClient(late.Clock, ClientTimeout);

        var result = await late.CreateAsync(client);

        AssertStillWatching(result);
        var id = await late.CreatedIdAsync();
        await client.WhenCreateWatchesDoneAsync().WaitAsync(Patience);
        Assert.Equal(2, _rig.Proxy.Exchanges.Count(e => e.Method == "GET" && e.Path == CreatePath));
        Assert.Equal(1, _rig.Proxy.Count("DELETE", $"{CreatePath}/{id}"));
        Assert.Equal(late.Before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task CreateAsync_ServerFinishesAfterFirstLookupAndNeverAnswers_FoundByLabelWhenWatchEndsAndDeleted()
    {
        var late = LateCreate(afterCreate: (context, _) => FaultRig.HoldUntilClientLeavesAsync(context));
        await using var client = _rig.NewClient(late.Clock, ClientTimeout);

        var result = await late.CreateAsync(client);
        AssertStillWatching(result);
        var id = await late.CreatedIdAsync();
        Assert.Single(_rig.Proxy.Exchanges, e => e.Method == "GET" && e.Path == CreatePath);
        late.Clock.Advance(FaultRig.CreateWatchTimeout);
        await client.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

        Assert.Equal(2, _rig.Proxy.Exchanges.Count(e => e.Method == "GET" && e.Path == CreatePath));
        Assert.Equal(1, _rig.Proxy.Count("DELETE", $"{CreatePath}/{id}"));
        Assert.Equal(late.Before, await _rig.LocalIdsAsync());
    }

    [FaultFact]
    public async Task DisposeAsync_WhileWatchingAfterTimeout_LooksUpOnceMoreAndDeletes()
    {
        var late = LateCreate(afterCreate: (context, _) => FaultRig.HoldUntilClientLeavesAsync(context));
        var client = _rig.NewClient(late.Clock, ClientTimeout);

        var result = await late.CreateAsync(client);
        AssertStillWatching(result);
        var id = await late.CreatedIdAsync();
        await client.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(2, _rig.Proxy.Exchanges.Count(e => e.Method == "GET" && e.Path == CreatePath));
        Assert.Equal(1, _rig.Proxy.Count("DELETE", $"{CreatePath}/{id}"));
        Assert.Equal(late.Before, await _rig.LocalIdsAsync());
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

        var result = await _client.CreateAsync(new SandboxSpec());

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

        var result = await _client.CreateAsync(new SandboxSpec());

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

            await _rig.ForwardAsync(context);
            // The server has created it; the caller gives up before the answer arrives.
            await cancel.CancelAsync();
            await FaultRig.HoldUntilClientLeavesAsync(context);
            return true;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _client.CreateAsync(new SandboxSpec(), cancel.Token));
        await _client.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

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

        var result = await _client.CreateAsync(new SandboxSpec());

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
            Assert.DoesNotContain(DaytonaSandboxProvider.CreateTokenLabel, (await _client.GetAsync(created.Id)).Value!.Labels.Keys);
        }
        finally
        {
            await _rig.Local.DeleteAsync(created.Id);
        }
    }

    /// <summary>
    /// A create the server finishes only after the client's first label lookup (the proxy holds the request until
    /// that lookup, moves the client's clock 3 s on, forwards it, then does <paramref name="afterCreate"/> with the
    /// server's answer instead of answering plainly).
    /// </summary>
    private LateCreateRun LateCreate(Func<HttpContext, (int Status, string? ContentType, byte[] Body), Task> afterCreate)
    {
        var run = new LateCreateRun(_rig.LocalIdsAsync().GetAwaiter().GetResult());
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (SafeCallFaultTests.Is(context, "GET", CreatePath))
            {
                run.LookedUp.TrySetResult();
                return false;
            }

            if (!SafeCallFaultTests.Is(context, "POST", CreatePath))
            {
                return false;
            }

            await FaultRig.BufferRequestBodyAsync(context);
            run.Arrived.TrySetResult();
            await run.LookedUp.Task.WaitAsync(Patience);
            run.Clock.Advance(TimeSpan.FromSeconds(3));
            var answer = await _rig.ForwardAsync(context);
            run.Created.TrySetResult(JsonDocument.Parse(answer.Body).RootElement.GetProperty("id").GetString()!);
            await afterCreate(context, answer);
            return true;
        };
        return run;
    }

    private static void AssertStillWatching(SandboxResult<SandboxInfo> result)
    {
        Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
        Assert.Equal(
            $"{TimedOut}; no sandbox from this request was found yet; the provider keeps watching for it for {FaultRig.CreateWatchTimeout.TotalSeconds:0} s (create_watch_timeout) and deletes it if it appears",
            result.Error.Message);
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

    /// <summary>The state of one <see cref="LateCreate"/> run.</summary>
    private sealed class LateCreateRun(IReadOnlyList<string> before)
    {
        public IReadOnlyList<string> Before { get; } = before;

        public FakeTimeProvider Clock { get; } = new();

        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource LookedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Creates through <paramref name="client"/>, letting its request time out once the proxy holds it.</summary>
        public async Task<SandboxResult<SandboxInfo>> CreateAsync(DaytonaSandboxProvider client)
        {
            var creating = client.CreateAsync(new SandboxSpec { Name = "late-" + Guid.NewGuid().ToString("N")[..6] }).AsTask();
            await Arrived.Task.WaitAsync(Patience);
            Clock.Advance(ClientTimeout);
            return await creating.WaitAsync(Patience);
        }

        /// <summary>The id of the sandbox the server made once the lookup had found nothing.</summary>
        public Task<string> CreatedIdAsync() => Created.Task.WaitAsync(Patience);
    }
}
