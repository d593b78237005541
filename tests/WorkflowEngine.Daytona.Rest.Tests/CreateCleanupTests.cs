using System.Text.Json;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>
/// A failed create leaves no sandbox behind. The fake answers scripted failures without creating anything, so a
/// sandbox "the server created anyway" is added by hand with the create token the provider is pinned to; the fake also
/// ignores the <c>labels</c> filter of the list, which checks that the provider matches the token itself.
/// </summary>
public sealed class CreateCleanupTests : IDisposable
{
    private const string Token = "token-under-test";
    private const string TokenLabel = DaytonaSandboxProvider.CreateTokenLabel;

    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task CreateAsync_5xxButServerCreatedIt_DeletesOnlyThatSandbox(int status)
    {
        var bystander = _server.Add("bystander");
        var otherCreate = _server.Add("other-create");
        otherCreate.Labels[TokenLabel] = "someone-elses-token";
        var leftover = _server.Add("leftover", "creating");
        leftover.Labels[TokenLabel] = Token;
        _server.Script("POST", "/api/sandbox", new FakeResponse(status, FakeDaytonaServer.Error(status, "runner exploded", "/api/sandbox")));
        using var provider = Pinned(TestProviders.Provider(_server, o => o.RetryAttempts = 0));

        var result = await provider.CreateAsync(new SandboxSpec { Name = "wanted" });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Failed, result.Error.Kind);
        Assert.StartsWith("Failed to create sandbox: ", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status}", result.Error.Message);
        Assert.Contains($"sandbox {leftover.Id} all the same, so it was deleted", result.Error.Message);
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
        var lookup = Assert.Single(_server.RequestsTo("GET", "/api/sandbox"));
        Assert.Equal(Token, JsonSerializer.Deserialize<Dictionary<string, string>>(lookup.Query["labels"]!)![TokenLabel]);
        Assert.Single(_server.RequestsTo("DELETE", $"/api/sandbox/{leftover.Id}"));
        Assert.Empty(_server.RequestsTo("DELETE", $"/api/sandbox/{bystander.Id}"));
        Assert.Empty(_server.RequestsTo("DELETE", $"/api/sandbox/{otherCreate.Id}"));
    }

    [Fact]
    public async Task CreateAsync_5xxAndNothingCreated_SaysNoneFoundAndDeletesNothing()
    {
        _server.Add("bystander");
        _server.Script("POST", "/api/sandbox", new FakeResponse(503, ""));
        using var provider = Pinned(TestProviders.Provider(_server));

        var result = await provider.CreateAsync(new SandboxSpec());

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Equal("Failed to create sandbox: Service Unavailable (HTTP 503); no sandbox from this request was found yet; the provider keeps watching for it for 60 s (create_watch_timeout) and deletes it if it appears", result.Error.Message);
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
        Assert.Single(_server.RequestsTo("GET", "/api/sandbox"));
        provider.Dispose();
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
        Assert.Equal(2, _server.RequestsTo("GET", "/api/sandbox").Count);
        Assert.DoesNotContain(_server.Requests, r => r.Method == "DELETE");
    }

    [Theory]
    [InlineData(400, SandboxErrorKind.InvalidArgument)]
    [InlineData(401, SandboxErrorKind.Authentication)]
    [InlineData(409, SandboxErrorKind.Conflict)]
    [InlineData(429, SandboxErrorKind.RateLimited)]
    public async Task CreateAsync_4xx_RejectedSoNoLookup(int status, SandboxErrorKind kind)
    {
        _server.Script("POST", "/api/sandbox", new FakeResponse(status, FakeDaytonaServer.Error(status, "rejected", "/api/sandbox")));
        using var provider = Pinned(TestProviders.Provider(_server));

        var result = await provider.CreateAsync(new SandboxSpec());

        Assert.Equal(kind, result.Error!.Kind);
        Assert.Contains($"HTTP {status}", result.Error.Message);
        Assert.DoesNotContain("sandbox from this request", result.Error.Message);
        Assert.Equal(["POST /api/sandbox"], _server.Requests.Select(r => $"{r.Method} {r.Path}").ToArray());
    }

    [Fact]
    public async Task CreateAsync_2xxWithUnreadableBody_FindsAndDeletesTheSandbox()
    {
        var leftover = _server.Add("unnamed", "started");
        leftover.Labels[TokenLabel] = Token;
        _server.Script("POST", "/api/sandbox", new FakeResponse(200, "<<not json>>"));
        using var provider = Pinned(TestProviders.Provider(_server));

        var result = await provider.CreateAsync(new SandboxSpec());

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Contains("not valid JSON", result.Error.Message);
        Assert.Contains($"sandbox {leftover.Id} all the same, so it was deleted", result.Error.Message);
        Assert.Single(_server.RequestsTo("DELETE", $"/api/sandbox/{leftover.Id}"));
    }

    [Fact]
    public async Task CreateAsync_LookupFails_NamesTheTokenLabel()
    {
        _server.Script("POST", "/api/sandbox", new FakeResponse(500, ""));
        _server.Script("GET", "/api/sandbox", new FakeResponse(500, FakeDaytonaServer.Error(500, "database down", "/api/sandbox")));
        using var provider = Pinned(TestProviders.Provider(_server, o => o.RetryAttempts = 0));

        var result = await provider.CreateAsync(new SandboxSpec());

        Assert.StartsWith("Failed to create sandbox: Internal Server Error (HTTP 500); it may have created a sandbox all the same, and looking for it failed (", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("database down", result.Error.Message);
        Assert.EndsWith($"the provider keeps watching for it for 60 s (create_watch_timeout) and deletes it if it appears, else delete the sandbox labelled {TokenLabel}={Token} if there is one", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_LeftoverStillChangingState_WaitsOutConflictAndDeletes()
    {
        var leftover = _server.Add("busy", "creating");
        leftover.Labels[TokenLabel] = Token;
        _server.Script("POST", "/api/sandbox", new FakeResponse(502, ""));
        _server.Script("DELETE", $"/api/sandbox/{leftover.Id}", new FakeResponse(409, FakeDaytonaServer.Error(409, "Sandbox state change in progress", "/api")));
        using var provider = Pinned(TestProviders.Provider(_server, o => o.RetryAttempts = 0));

        var result = await provider.CreateAsync(new SandboxSpec());

        Assert.Contains("so it was deleted", result.Error!.Message);
        Assert.Equal(2, _server.RequestsTo("DELETE", $"/api/sandbox/{leftover.Id}").Count);
        Assert.Equal("destroying", leftover.State);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("build_failed")]
    public async Task CreateAsync_FailedState_DeletesTheSandbox(string state)
    {
        _server.CreateStates = ["creating", state];
        using var provider = TestProviders.Provider(_server);

        var result = await provider.CreateAsync(new SandboxSpec { Name = "broken" });

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        var box = _server.Find("broken")!;
        Assert.StartsWith($"Sandbox {box.Id} failed to start with state: {state}", result.Error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the sandbox was deleted", result.Error.Message, StringComparison.Ordinal);
        Assert.Single(_server.RequestsTo("DELETE", $"/api/sandbox/{box.Id}"));
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
    }

    [Fact]
    public async Task CreateAsync_NeverStarts_TimesOutAndDeletesTheSandbox()
    {
        _server.CreateStates = Enumerable.Repeat("creating", 1000).ToArray();
        using var provider = TestProviders.Provider(_server, o => o.StartTimeout = TimeSpan.FromMilliseconds(300));

        var result = await provider.CreateAsync(new SandboxSpec { Name = "slow" });

        Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
        Assert.Contains("did not start within", result.Error.Message);
        Assert.EndsWith("; the sandbox was deleted", result.Error.Message, StringComparison.Ordinal);
        Assert.Single(_server.RequestsTo("DELETE", $"/api/sandbox/{_server.Find("slow")!.Id}"));
    }

    [Fact]
    public async Task CreateAsync_CancelledWhileWaitingToStart_DeletesTheSandboxAndThrows()
    {
        _server.CreateStates = Enumerable.Repeat("creating", 1000).ToArray();
        using var provider = TestProviders.Provider(_server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await provider.CreateAsync(new SandboxSpec { Name = "cancelled" }, cancel.Token));

        Assert.Single(_server.RequestsTo("DELETE", $"/api/sandbox/{_server.Find("cancelled")!.Id}"));
    }

    [Fact]
    public async Task CreateAsync_NotStartedAndDeleteFails_SaysBothAndNamesTheSandbox()
    {
        _server.CreateStates = ["error"];
        using var provider = TestProviders.Provider(_server, o => o.RetryAttempts = 0);
        _server.Script("DELETE", "/api/sandbox/sb-0001", new FakeResponse(500, FakeDaytonaServer.Error(500, "storage offline", "/api/sandbox/sb-0001")));

        var result = await provider.CreateAsync(new SandboxSpec { Name = "stuck" });

        Assert.Equal("sb-0001", _server.Find("stuck")!.Id);
        Assert.Contains("failed to start with state: error", result.Error!.Message);
        Assert.Contains("deleting sandbox sb-0001 failed too", result.Error.Message);
        Assert.Contains("storage offline", result.Error.Message);
        Assert.EndsWith("delete it by hand", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_Succeeds_SendsAFreshTokenAndHidesIt()
    {
        using var provider = TestProviders.Provider(_server);

        var first = await provider.CreateAsync(new SandboxSpec { Name = "one", Labels = new Dictionary<string, string> { ["team"] = "x" } });
        var second = await provider.CreateAsync(new SandboxSpec { Name = "two" });

        Assert.True(first.Succeeded, first.Error?.ToString());
        Assert.True(second.Succeeded, second.Error?.ToString());
        var tokens = _server.RequestsTo("POST", "/api/sandbox").Select(r => r.Json!["labels"]![TokenLabel]!.GetValue<string>()).ToList();
        Assert.Equal(2, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.False(string.IsNullOrWhiteSpace(t)));
        Assert.Equal("x", first.Value.Labels["team"]);
        Assert.DoesNotContain(TokenLabel, first.Value.Labels.Keys);
        Assert.DoesNotContain(TokenLabel, (await provider.GetAsync("one")).Value!.Labels.Keys);
        Assert.All((await provider.ListAsync()).Value!, s => Assert.DoesNotContain(TokenLabel, s.Labels.Keys));
        Assert.DoesNotContain(_server.Requests, r => r.Method == "DELETE");
    }

    private static DaytonaSandboxProvider Pinned(DaytonaSandboxProvider provider)
    {
        provider.NewCreateToken = () => Token;
        return provider;
    }
}
