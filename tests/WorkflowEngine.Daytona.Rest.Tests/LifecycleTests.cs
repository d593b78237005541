using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

public sealed class LifecycleTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task CreateAsync_CreatingThenStarted_SendsSpecAndWaitsForStarted()
    {
        _server.CreateStates = ["creating", "pulling_snapshot", "starting", "started"];
        using var provider = TestProviders.Provider(_server);

        var result = await provider.CreateAsync(new SandboxSpec
        {
            Name = "box-1",
            Language = "typescript",
            EnvironmentVars = new Dictionary<string, string> { ["A"] = "1" },
            Labels = new Dictionary<string, string> { ["team"] = "x" },
        });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("started", result.Value.State);
        Assert.Equal("box-1", result.Value.Name);
        Assert.Equal("typescript", result.Value.Language);
        Assert.False(result.Value.Persistent);

        var post = Assert.Single(_server.RequestsTo("POST", "/api/sandbox"));
        var body = post.Json!;
        Assert.Equal("box-1", body["name"]!.GetValue<string>());
        Assert.Equal("typescript", body["labels"]!["code-toolbox-language"]!.GetValue<string>());
        Assert.Equal("x", body["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("1", body["env"]!["A"]!.GetValue<string>());
        Assert.Equal(0, body["autoDeleteInterval"]!.GetValue<int>());
        Assert.Equal("us", body["target"]!.GetValue<string>());
        Assert.Equal("application/json", post.Headers["Content-Type"]?.Split(';')[0]);

        var id = result.Value.Id;
        Assert.True(_server.RequestsTo("GET", $"/api/sandbox/{id}").Count >= 4);
    }

    [Fact]
    public async Task CreateAsync_Persistent_LeavesAutoDeleteToServer()
    {
        using var provider = TestProviders.Provider(_server, o => o.Target = null);

        var result = await provider.CreateAsync(new SandboxSpec { Persistent = true });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.True(result.Value.Persistent);
        var body = Assert.Single(_server.RequestsTo("POST", "/api/sandbox")).Json!.AsObject();
        Assert.False(body.ContainsKey("autoDeleteInterval"));
        Assert.False(body.ContainsKey("target"));
        Assert.False(body.ContainsKey("name"));
        Assert.Equal("python", body["labels"]!["code-toolbox-language"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateAsync_ErrorState_FailsWithStateAndReason()
    {
        _server.CreateStates = ["creating", "error"];
        _server.ErrorReason = "no capacity in region us";
        using var provider = TestProviders.Provider(_server);

        var result = await provider.CreateAsync(new SandboxSpec { Name = "bad" });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Failed, result.Error.Kind);
        Assert.Contains("state: error", result.Error.Message);
        Assert.Contains("no capacity in region us", result.Error.Message);
    }

    [Fact]
    public async Task CreateAsync_NeverStarts_TimesOutWithState()
    {
        _server.CreateStates = ["creating"];
        using var provider = TestProviders.Provider(_server, o => o.StartTimeout = TimeSpan.FromMilliseconds(400));

        var result = await provider.CreateAsync(new SandboxSpec { Name = "slow" });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Timeout, result.Error.Kind);
        Assert.Contains("creating", result.Error.Message);
    }

    [Fact]
    public async Task GetAsync_ByName_ReturnsMappedSandbox()
    {
        var added = _server.Add("named-box");
        using var provider = TestProviders.Provider(_server);

        var result = await provider.GetAsync("named-box");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(added.Id, result.Value.Id);
        Assert.Equal("named-box", result.Value.Name);
        Assert.Equal("started", result.Value.State);
        Assert.Equal("python", result.Value.Language);
        Assert.Equal(2, result.Value.Resources.Cpus);
        Assert.Equal(4L * 1024 * 1024 * 1024, result.Value.Resources.MemoryBytes);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), result.Value.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 6, 0, TimeSpan.Zero), result.Value.LastAccessedAt);
        Assert.Single(_server.RequestsTo("GET", "/api/sandbox/named-box"));
    }

    [Fact]
    public async Task GetAsync_Unknown_NotFoundWithServerMessage()
    {
        using var provider = TestProviders.Provider(_server);

        var result = await provider.GetAsync("nope");

        Assert.Equal(SandboxErrorKind.NotFound, result.Error!.Kind);
        Assert.Contains("Sandbox with ID or name nope not found", result.Error.Message);
    }

    [Fact]
    public async Task ListAsync_SeveralPages_FollowsCursorUntilNull()
    {
        for (var i = 0; i < 5; i++)
        {
            _server.Add($"box-{i}");
        }

        _server.PageSize = 2;
        using var provider = TestProviders.Provider(_server);

        var result = await provider.ListAsync();

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(["box-0", "box-1", "box-2", "box-3", "box-4"], result.Value.Select(s => s.Name).ToArray());
        var lists = _server.RequestsTo("GET", "/api/sandbox");
        Assert.Equal(3, lists.Count);
        Assert.Null(lists[0].Query["cursor"]);
        Assert.Equal("2", lists[1].Query["cursor"]);
        Assert.Equal("4", lists[2].Query["cursor"]);
    }

    [Fact]
    public async Task ListAsync_Empty_ReturnsEmpty()
    {
        using var provider = TestProviders.Provider(_server);

        var result = await provider.ListAsync();

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Empty(result.Value);
    }

    [Fact]
    public async Task DeleteAsync_Existing_SendsDelete()
    {
        var box = _server.Add("gone");
        using var provider = TestProviders.Provider(_server);

        var result = await provider.DeleteAsync("gone");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Single(_server.RequestsTo("DELETE", "/api/sandbox/gone"));
        Assert.Equal("destroying", box.State);
    }

    [Fact]
    public async Task StartAsync_Stopped_PostsStartAndWaitsForStarted()
    {
        var box = _server.Add("sleepy", "stopped");
        using var provider = TestProviders.Provider(_server);

        var result = await provider.StartAsync("sleepy");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("started", result.Value.State);
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox/sleepy/start"));
        Assert.Single(_server.RequestsTo("GET", $"/api/sandbox/{box.Id}"));
    }

    [Fact]
    public async Task StopAsync_Started_PostsStopAndWaitsForStopped()
    {
        _server.Add("busy");
        using var provider = TestProviders.Provider(_server);

        var result = await provider.StopAsync("busy");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("stopped", result.Value.State);
        Assert.Single(_server.RequestsTo("POST", "/api/sandbox/busy/stop"));
    }

    [Fact]
    public async Task StopAsync_Ephemeral_AcceptsDestroyed()
    {
        _server.Add("eph");
        _server.Script("POST", "/api/sandbox/eph/stop", new FakeResponse(200, """{"id":"sb-9999","name":"eph","state":"destroyed","toolboxProxyUrl":"http://127.0.0.1:1/toolbox"}"""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.StopAsync("eph");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("stopped", result.Value.State);
    }

    [Fact]
    public async Task AllCalls_AnyOperation_CarryDaytonaHeaders()
    {
        using var provider = TestProviders.Provider(_server);
        var created = await provider.CreateAsync(new SandboxSpec { Name = "h" });
        Assert.True(created.Succeeded, created.Error?.ToString());
        await provider.GetAsync("h");
        await provider.ListAsync();
        await provider.Process.ExecAsync("h", new ExecRequest { Command = ["true"] });
        await provider.StopAsync("h");
        await provider.StartAsync("h");
        await provider.DeleteAsync("h");

        Assert.True(_server.Requests.Count >= 8);
        Assert.Contains(_server.Requests, r => r.Path.StartsWith("/toolbox/", StringComparison.Ordinal));
        Assert.All(_server.Requests, r =>
        {
            Assert.Equal($"Bearer {TestProviders.Key}", r.Headers["Authorization"]);
            Assert.Equal("sdk-csharp", r.Headers["X-Daytona-Source"]);
            Assert.Equal("0.205.1", r.Headers["X-Daytona-SDK-Version"]);
            Assert.Equal("org-1", r.Headers["X-Daytona-Organization-ID"]);
        });
    }

    [Fact]
    public async Task AllCalls_NoOrganization_OmitOrganizationHeader()
    {
        _server.Add("o");
        using var provider = TestProviders.Provider(_server, o => o.OrganizationId = null);

        await provider.GetAsync("o");

        var request = Assert.Single(_server.Requests);
        Assert.Null(request.Headers["X-Daytona-Organization-ID"]);
        Assert.Equal($"Bearer {TestProviders.Key}", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task GetAsync_CancelledToken_Throws()
    {
        using var provider = TestProviders.Provider(_server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await provider.GetAsync("x", cancelled.Token));
    }

    [Fact]
    public async Task FilesAndGit_UnknownSandbox_NotFound()
    {
        using var provider = TestProviders.Provider(_server);

        var read = await provider.Files.ReadAsync("x", "a.txt");
        var status = await provider.Git.StatusAsync("x", ".");

        Assert.Equal(SandboxErrorKind.NotFound, read.Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, status.Error!.Kind);
        Assert.Equal("daytona", provider.Name);
    }
}
