using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

public sealed class CreateWithGitRepoTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();
    private readonly string _bare = Directory.CreateTempSubdirectory("fake-daytona-bare-").FullName;

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_bare, recursive: true);
    }

    [Fact]
    public async Task CreateAsync_GitRepoAndBranch_ClonesIntoWorkspaceRootAfterStart()
    {
        Seed();
        using var provider = TestProviders.Provider(_server);

        var created = await provider.CreateAsync(new SandboxSpec { Name = "with-repo", GitRepo = _bare, GitBranch = "dev" });

        Assert.True(created.Succeeded, created.Error?.ToString());
        Assert.Equal(_bare, created.Value.GitRepo);
        Assert.Equal("started", created.Value.State);
        var box = _server.Find("with-repo")!;
        Assert.True(File.Exists(Path.Combine(box.Root, "main.txt")));
        Assert.True(File.Exists(Path.Combine(box.Root, "dev.txt")));
        var status = await provider.Git.StatusAsync(created.Value.Id, "/workspace");
        Assert.Equal("dev", status.Value!.Branch);

        // Same layout as the local provider: the repository is /workspace itself, not a subfolder.
        var clone = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/git/clone")).Json!;
        Assert.Equal(".", clone["path"]!.GetValue<string>());
        Assert.Equal(_bare, clone["url"]!.GetValue<string>());
        Assert.Equal("dev", clone["branch"]!.GetValue<string>());
        Assert.Empty(_server.RequestsTo("DELETE", $"/api/sandbox/{box.Id}"));
    }

    [Fact]
    public async Task CreateAsync_GitRepoWithoutBranch_ClonesDefaultBranch()
    {
        Seed();
        using var provider = TestProviders.Provider(_server);

        var created = await provider.CreateAsync(new SandboxSpec { Name = "default-branch", GitRepo = _bare });

        Assert.True(created.Succeeded, created.Error?.ToString());
        var box = _server.Find("default-branch")!;
        Assert.True(File.Exists(Path.Combine(box.Root, "main.txt")));
        Assert.False(File.Exists(Path.Combine(box.Root, "dev.txt")));
        Assert.Null(Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/git/clone")).Json!["branch"]);
    }

    [Fact]
    public async Task CreateAsync_CloneFails_DeletesSandboxAndReturnsCloneError()
    {
        var missing = Path.Combine(_bare, "does-not-exist");
        using var provider = TestProviders.Provider(_server);

        var created = await provider.CreateAsync(new SandboxSpec { Name = "bad-repo", GitRepo = missing });

        Assert.False(created.Succeeded);
        Assert.Equal(SandboxErrorKind.Failed, created.Error.Kind);
        var box = _server.Find("bad-repo")!;
        Assert.StartsWith($"The sandbox was not created because cloning failed: Failed to clone {missing} into /workspace in sandbox {box.Id}: ", created.Error.Message);
        Assert.DoesNotContain("Deleting", created.Error.Message);
        Assert.Single(_server.RequestsTo("DELETE", $"/api/sandbox/{box.Id}"));

        // The fake keeps deleted sandboxes in its list (as destroying/destroyed), so "none left" means none live.
        var listed = await provider.ListAsync();
        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.DoesNotContain(listed.Value, s => s.State is "started" or "starting");
        Assert.Contains(box.State, new[] { "destroying", "destroyed" });
    }

    [Fact]
    public async Task CreateAsync_CloneFailsAndDeleteFails_SaysBothAndNamesTheSandbox()
    {
        using var provider = TestProviders.Provider(_server, o => o.RetryAttempts = 0);

        // The fake numbers sandboxes from sb-0001, so the one about to be created can be scripted.
        _server.Script("DELETE", "/api/sandbox/sb-0001", new FakeResponse(500, FakeDaytonaServer.Error(500, "storage offline", "/api/sandbox/sb-0001")));
        var created = await provider.CreateAsync(new SandboxSpec { Name = "leaky", GitRepo = Path.Combine(_bare, "nope") });

        Assert.False(created.Succeeded);
        Assert.Equal("sb-0001", _server.Find("leaky")!.Id);
        Assert.Contains("cloning failed", created.Error.Message);
        Assert.Contains("Deleting sandbox sb-0001 failed too", created.Error.Message);
        Assert.Contains("storage offline", created.Error.Message);
        Assert.EndsWith("delete it by hand", created.Error.Message);
    }

    [Fact]
    public async Task CreateAsync_StartFails_DoesNotTryToClone()
    {
        _server.CreateStates = ["error"];
        using var provider = TestProviders.Provider(_server);

        var created = await provider.CreateAsync(new SandboxSpec { Name = "broken", GitRepo = _bare });

        Assert.False(created.Succeeded);
        Assert.Contains("failed to start", created.Error.Message);
        Assert.DoesNotContain(_server.Requests, r => r.Path.EndsWith("/git/clone", StringComparison.Ordinal));
    }

    private void Seed() => SeededRepository.Create(_bare);
}
