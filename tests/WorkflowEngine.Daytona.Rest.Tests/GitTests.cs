using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

public sealed class GitTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();
    private readonly string _bare = Directory.CreateTempSubdirectory("fake-daytona-bare-").FullName;

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_bare, recursive: true);
    }

    [Fact]
    public async Task InitAddCommitStatusLogBranchesCheckout_Work()
    {
        var box = _server.Add("g");
        using var provider = TestProviders.Provider(_server);
        const string message = "it's \"quoted\" $(touch pwned) `touch pwned2`\nsecond line; rm -rf /";

        var init = await provider.Git.InitAsync("g", "/workspace/repo");
        await provider.Files.WriteAsync("g", "repo/a.txt", "hello"u8.ToArray());
        var dirty = await provider.Git.StatusAsync("g", "repo");
        var added = await provider.Git.AddAsync("g", "repo", []);
        var staged = await provider.Git.StatusAsync("g", "repo");
        var commit = await provider.Git.CommitAsync("g", "repo", message, "Ann O'Neil", "ann@example.com");
        var log = await provider.Git.LogAsync("g", "repo", 5);
        var checkout = await provider.Git.CheckoutAsync("g", "repo", "feature/x");
        var branches = await provider.Git.BranchesAsync("g", "repo");
        var back = await provider.Git.CheckoutAsync("g", "repo", "main");
        var clean = await provider.Git.StatusAsync("g", "repo");

        Assert.True(init.Succeeded, init.Error?.ToString());
        Assert.True(dirty.Succeeded, dirty.Error?.ToString());
        Assert.Equal(["?? a.txt"], dirty.Value!.Files);
        Assert.True(added.Succeeded, added.Error?.ToString());
        Assert.Equal(["A  a.txt"], staged.Value!.Files);
        Assert.True(commit.Succeeded, commit.Error?.ToString());
        Assert.Matches("^[0-9a-f]{40}$", commit.Value);
        var entry = Assert.Single(log.Value!);
        Assert.Equal(commit.Value, entry.Hash);
        Assert.Equal(message, entry.Message);
        Assert.Equal("Ann O'Neil", entry.Author);
        Assert.Equal("ann@example.com", entry.Email);
        Assert.True(checkout.Succeeded, checkout.Error?.ToString());
        Assert.Equal(["feature/x", "main"], branches.Value);
        Assert.True(back.Succeeded, back.Error?.ToString());
        Assert.Equal("main", clean.Value!.Branch);
        Assert.Empty(clean.Value.Files);
        Assert.False(File.Exists(Path.Combine(box.Root, "repo", "pwned")));
        Assert.False(File.Exists(Path.Combine(box.Root, "repo", "pwned2")));

        var body = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/git/commit")).Json!;
        Assert.Equal(message, body["message"]!.GetValue<string>());
        Assert.Equal("repo", body["path"]!.GetValue<string>());
        Assert.Equal("Ann O'Neil", body["author"]!.GetValue<string>());
        Assert.Equal("ann@example.com", body["email"]!.GetValue<string>());
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/git/branches"));
        Assert.Equal("{\"path\":\"repo\",\"files\":[\".\"]}", Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/git/add")).Body);
    }

    [Fact]
    public async Task Clone_LocalBareRepoWithBranch_ChecksOutBranchThenPushes()
    {
        var box = _server.Add("c");
        Seed();
        using var provider = TestProviders.Provider(_server);

        var cloned = await provider.Git.CloneAsync("c", _bare, "/workspace/work", "dev");
        var status = await provider.Git.StatusAsync("c", "work");
        var log = await provider.Git.LogAsync("c", "work", 1);
        await provider.Files.WriteAsync("c", "work/new.txt", "n"u8.ToArray());
        await provider.Git.AddAsync("c", "work", ["new.txt"]);
        var commit = await provider.Git.CommitAsync("c", "work", "add new");
        var pushed = await provider.Git.PushAsync("c", "work");
        var pulled = await provider.Git.PullAsync("c", "work");

        Assert.True(cloned.Succeeded, cloned.Error?.ToString());
        Assert.Equal("dev", status.Value!.Branch);
        Assert.Equal("on dev", Assert.Single(log.Value!).Message);
        Assert.True(File.Exists(Path.Combine(box.Root, "work", "dev.txt")));
        Assert.True(commit.Succeeded, commit.Error?.ToString());
        Assert.True(pushed.Succeeded, pushed.Error?.ToString());
        Assert.True(pulled.Succeeded, pulled.Error?.ToString());
        Assert.Equal(commit.Value, FakeToolbox.Git(_bare, "rev-parse", "dev").Output.Trim());
        var body = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/git/clone")).Json!;
        Assert.Equal(_bare, body["url"]!.GetValue<string>());
        Assert.Equal("work", body["path"]!.GetValue<string>());
        Assert.Equal("dev", body["branch"]!.GetValue<string>());
        var commitBody = _server.RequestsTo("POST", $"/toolbox/{box.Id}/git/commit").Single().Json!;
        Assert.False(string.IsNullOrEmpty(commitBody["author"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Status_NotARepository_Fails()
    {
        _server.Add("n");
        using var provider = TestProviders.Provider(_server);
        await provider.Files.CreateDirectoryAsync("n", "plain");

        var status = await provider.Git.StatusAsync("n", "plain");

        Assert.False(status.Succeeded);
        Assert.Contains("not a git repository", status.Error!.Message, StringComparison.OrdinalIgnoreCase);
    }

    private void Seed() => SeededRepository.Create(_bare);
}
