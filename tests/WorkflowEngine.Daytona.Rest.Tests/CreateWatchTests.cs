using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>
/// After a create whose outcome is unknown, the provider answers its caller at once and keeps watching in the
/// background (the create's own answer, then the token label once more) for <see cref="DaytonaOptions.CreateWatchTimeout"/>,
/// deleting the sandbox when it appears and nothing else. Time is a fake clock; the fake server holds the create (and
/// only then makes the sandbox) until the test lets it go.
/// </summary>
public sealed class CreateWatchTests : IDisposable
{
    private const string Token = "token-under-test";
    private const string TokenLabel = DaytonaSandboxProvider.CreateTokenLabel;
    private const string CreatePath = "/api/sandbox";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan WatchTime = TimeSpan.FromSeconds(60);

    private readonly FakeDaytonaServer _server = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly ListLogger _log = new();
    private readonly TaskCompletionSource _createArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _releaseCreate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CreateWatchTests()
    {
        _server.Gate = async request =>
        {
            if (request.Method == "POST" && request.Path == CreatePath)
            {
                _createArrived.TrySetResult();
                await _releaseCreate.Task;
            }
        };
    }

    public void Dispose()
    {
        _releaseCreate.TrySetResult();
        _server.Dispose();
    }

    [Fact]
    public async Task CreateAsync_AnswerArrivesAfterTimeout_TimeoutAtOnceThenAnsweredSandboxDeleted()
    {
        var bystander = _server.Add("bystander");
        using var provider = Provider();

        var result = await TimeOutAsync(provider);

        Assert.Equal($"Failed to create sandbox: the request timed out after 20 s; no sandbox from this request was found yet; the provider keeps watching for it for 60 s (create_watch_timeout) and deletes it if it appears", result.Error!.Message);
        _releaseCreate.SetResult();
        await provider.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

        var made = Assert.Single(_server.RequestsTo("POST", CreatePath));
        var leftover = _server.Find(made.Json!["name"]!.GetValue<string>())!;
        Assert.Equal("destroying", leftover.State);
        Assert.Single(_server.RequestsTo("DELETE", $"{CreatePath}/{leftover.Id}"));
        Assert.Empty(_server.RequestsTo("DELETE", $"{CreatePath}/{bystander.Id}"));
        // The answer named it: no second lookup.
        Assert.Single(_server.RequestsTo("GET", CreatePath));
        var logged = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Contains($"sandbox {leftover.Id} all the same, so it was deleted", logged.Message);
    }

    [Fact]
    public async Task CreateAsync_NoAnswerBeforeWatchEnds_LooksUpAgainAndDeletesOnlyThisRequestsSandbox()
    {
        var bystander = _server.Add("bystander");
        var otherCreate = _server.Add("other-create");
        otherCreate.Labels[TokenLabel] = "someone-elses-token";
        using var provider = Provider();

        await TimeOutAsync(provider);
        // Made by the server meanwhile; its answer never comes. The fake ignores the labels filter.
        var leftover = _server.Add("late", "creating");
        leftover.Labels[TokenLabel] = Token;
        _clock.Advance(WatchTime);
        await provider.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

        Assert.Equal(2, _server.RequestsTo("GET", CreatePath).Count);
        Assert.Equal([$"{CreatePath}/{leftover.Id}"], _server.Requests.Where(r => r.Method == "DELETE").Select(r => r.Path).ToArray());
        Assert.Equal("started", bystander.State);
        Assert.Equal("started", otherCreate.State);
    }

    [Fact]
    public async Task CreateAsync_Late5xxAnswerThenSandboxAppears_LooksNowAndOnceMoreAndDeletes()
    {
        var provider = Provider();
        await TimeOutAsync(provider);
        // The gateway gives up with a 504 while the server behind it goes on: nothing at the next lookup, then the sandbox.
        _server.Script("POST", CreatePath, new FakeResponse(504, ""));
        _server.Script("GET", CreatePath, new FakeResponse(200, """{"items":[]}"""));
        var leftover = _server.Add("late");
        leftover.Labels[TokenLabel] = Token;
        var secondLookup = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holdCreate = _server.Gate!;
        _server.Gate = async request =>
        {
            if (request.Method == "GET" && request.Path == CreatePath && _server.RequestsTo("GET", CreatePath).Count == 2)
            {
                secondLookup.TrySetResult();
            }

            await holdCreate(request);
        };
        _releaseCreate.SetResult();
        await secondLookup.Task.WaitAsync(Patience);

        provider.Dispose();

        Assert.Equal(3, _server.RequestsTo("GET", CreatePath).Count);
        Assert.Single(_server.RequestsTo("DELETE", $"{CreatePath}/{leftover.Id}"));
    }

    [Fact]
    public async Task CreateAsync_5xxAndSandboxAppearsLater_DeletedWhenWatchEnds()
    {
        _releaseCreate.SetResult();
        _server.Script("POST", CreatePath, new FakeResponse(503, ""));
        using var provider = Provider();

        var result = await provider.CreateAsync(new SandboxSpec());
        Assert.EndsWith("no sandbox from this request was found yet; the provider keeps watching for it for 60 s (create_watch_timeout) and deletes it if it appears", result.Error!.Message, StringComparison.Ordinal);
        var leftover = _server.Add("late", "creating");
        leftover.Labels[TokenLabel] = Token;
        _clock.Advance(WatchTime);
        await provider.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

        Assert.Equal(2, _server.RequestsTo("GET", CreatePath).Count);
        Assert.Single(_server.RequestsTo("DELETE", $"{CreatePath}/{leftover.Id}"));
    }

    [Fact]
    public async Task CreateAsync_WatchTimeoutZero_OneLookupAndNothingAfter()
    {
        _releaseCreate.SetResult();
        _server.Script("POST", CreatePath, new FakeResponse(503, ""));
        using var provider = Provider(o => o.CreateWatchTimeout = TimeSpan.Zero);

        var result = await provider.CreateAsync(new SandboxSpec());
        _server.Add("late").Labels[TokenLabel] = Token;
        provider.Dispose();

        Assert.Equal("Failed to create sandbox: Service Unavailable (HTTP 503); no sandbox from this request was found", result.Error!.Message);
        Assert.Single(_server.RequestsTo("GET", CreatePath));
        Assert.DoesNotContain(_server.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Dispose_WhileWatching_LooksUpOnceMoreAndDeletesBeforeReturning()
    {
        var provider = Provider();
        await TimeOutAsync(provider);
        var leftover = _server.Add("late");
        leftover.Labels[TokenLabel] = Token;

        provider.Dispose();

        Assert.Equal(2, _server.RequestsTo("GET", CreatePath).Count);
        Assert.Single(_server.RequestsTo("DELETE", $"{CreatePath}/{leftover.Id}"));
        Assert.Equal("destroying", leftover.State);
    }

    [Fact]
    public async Task CreateAsync_LateLeftoverCannotBeDeleted_LogsAWarningNamingIt()
    {
        _releaseCreate.SetResult();
        _server.Script("POST", CreatePath, new FakeResponse(503, ""));
        using var provider = Provider(o => o.RetryAttempts = 0);

        await provider.CreateAsync(new SandboxSpec());
        var leftover = _server.Add("late");
        leftover.Labels[TokenLabel] = Token;
        _server.Script("DELETE", $"{CreatePath}/{leftover.Id}", new FakeResponse(500, FakeDaytonaServer.Error(500, "storage offline", "/api")));
        _clock.Advance(WatchTime);
        await provider.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

        var logged = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains($"deleting sandbox {leftover.Id} failed", logged.Message);
        Assert.Contains("storage offline", logged.Message);
        Assert.Contains("delete it by hand", logged.Message);
    }

    [Fact]
    public async Task CreateAsync_CancelledWhileServerHoldsCreate_ThrowsAtOnceThenDeletesTheAnsweredSandbox()
    {
        using var provider = Provider();
        using var cancel = new CancellationTokenSource();

        var creating = provider.CreateAsync(new SandboxSpec { Name = "cancelled" }, cancel.Token).AsTask();
        await _createArrived.Task.WaitAsync(Patience);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => creating.WaitAsync(Patience));
        _releaseCreate.SetResult();
        await provider.WhenCreateWatchesDoneAsync().WaitAsync(Patience);

        var leftover = _server.Find("cancelled")!;
        Assert.Equal("destroying", leftover.State);
        Assert.Single(_server.RequestsTo("DELETE", $"{CreatePath}/{leftover.Id}"));
        Assert.Single(_server.RequestsTo("GET", CreatePath));
    }

    /// <summary>Starts a create the fake server holds, moves the clock past the request timeout and returns the caller's result.</summary>
    private async Task<SandboxResult<SandboxInfo>> TimeOutAsync(DaytonaSandboxProvider provider)
    {
        var creating = provider.CreateAsync(new SandboxSpec { Name = "held" }).AsTask();
        await _createArrived.Task.WaitAsync(Patience);
        _clock.Advance(RequestTimeout);
        var result = await creating.WaitAsync(Patience);
        Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
        Assert.Single(_server.RequestsTo("GET", CreatePath));
        return result;
    }

    private DaytonaSandboxProvider Provider(Action<DaytonaOptions>? configure = null)
    {
        var provider = new DaytonaSandboxProvider(
            TestProviders.Options(_server, o =>
            {
                o.RequestTimeout = RequestTimeout;
                configure?.Invoke(o);
            }),
            _clock,
            _log);
        provider.NewCreateToken = () => Token;
        return provider;
    }

    /// <summary>Keeps what is logged at Information and above.</summary>
    private sealed class ListLogger : ILogger<DaytonaSandboxProvider>
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return _entries.ToList();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (_entries)
                {
                    _entries.Add((logLevel, formatter(state, exception)));
                }
            }
        }
    }
}
