using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

public sealed class LocalSandboxGitTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string TrickyMessage = "Fix \"quotes\" and 'apostrophes'\n\n$(touch /workspace/pwned) `touch /workspace/pwned2` ; rm -rf /\n  indented line\n";

    private ISandboxGit Git => fixture.Provider.Git;

    [Fact]
    public async Task CommitAsync_TrickyMessage_IsStoredVerbatim()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        Assert.True((await Git.InitAsync(sandbox.Id, "repo")).Succeeded);
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "repo/a.txt", Encoding.UTF8.GetBytes("a\n"));
        var added = await Git.AddAsync(sandbox.Id, "repo", []);
        Assert.True(added.Succeeded, added.Error?.ToString());

        var commit = await Git.CommitAsync(sandbox.Id, "repo", TrickyMessage);

        Assert.True(commit.Succeeded, commit.Error?.ToString());
        Assert.Matches("^[0-9a-f]{40}$", commit.Value);
        var raw = await fixture.BashAsync(sandbox.Id, "git -C repo log -1 --format=%B");
        Assert.Equal(TrickyMessage + "\n", raw.Stdout);
        var log = await Git.LogAsync(sandbox.Id, "repo");
        Assert.True(log.Succeeded, log.Error?.ToString());
        var entry = Assert.Single(log.Value!);
        Assert.Equal(commit.Value, entry.Hash);
        Assert.Equal(TrickyMessage.TrimEnd('\n'), entry.Message);
        Assert.Equal("Sandbox", entry.Author);
        Assert.Equal("sandbox@wfe.local", entry.Email);
        Assert.True(DateTimeOffset.UtcNow - entry.Date < TimeSpan.FromMinutes(5));
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.Files.InfoAsync(sandbox.Id, "pwned")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.Files.InfoAsync(sandbox.Id, "pwned2")).Error!.Kind);
    }

    [Fact]
    public async Task CommitAsync_WithAuthor_RecordsAuthor()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Git.InitAsync(sandbox.Id, "/workspace");
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "x", new byte[1]);
        await Git.AddAsync(sandbox.Id, "", ["x"]);

        var commit = await Git.CommitAsync(sandbox.Id, "", "by someone", "Ada Lovelace", "ada@example.com");
        var log = await Git.LogAsync(sandbox.Id, "");

        Assert.True(commit.Succeeded, commit.Error?.ToString());
        Assert.Equal("Ada Lovelace", log.Value![0].Author);
        Assert.Equal("ada@example.com", log.Value[0].Email);
    }

    [Fact]
    public async Task CommitAsync_EmptyMessage_IsInvalidArgument()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Git.InitAsync(sandbox.Id, "");

        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Git.CommitAsync(sandbox.Id, "", "")).Error!.Kind);
    }

    [Fact]
    public async Task StatusBranchesCheckoutLog_Workflow_ReportsState()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Git.InitAsync(sandbox.Id, "proj");
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "proj/one.txt", Encoding.UTF8.GetBytes("1"));

        var untracked = await Git.StatusAsync(sandbox.Id, "proj");
        await Git.AddAsync(sandbox.Id, "proj", ["one.txt"]);
        var first = await Git.CommitAsync(sandbox.Id, "proj", "first");
        var clean = await Git.StatusAsync(sandbox.Id, "proj");
        var checkout = await Git.CheckoutAsync(sandbox.Id, "proj", "feature/x");
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "proj/two.txt", Encoding.UTF8.GetBytes("2"));
        await Git.AddAsync(sandbox.Id, "proj", []);
        var second = await Git.CommitAsync(sandbox.Id, "proj", "second");
        var branches = await Git.BranchesAsync(sandbox.Id, "proj");
        var onFeature = await Git.StatusAsync(sandbox.Id, "proj");
        var back = await Git.CheckoutAsync(sandbox.Id, "proj", "main");
        var log = await Git.LogAsync(sandbox.Id, "proj", 10);
        var featureLog = await fixture.BashAsync(sandbox.Id, "git -C proj log --format=%s feature/x");

        Assert.Equal("main", untracked.Value!.Branch);
        Assert.Equal(["?? one.txt"], untracked.Value.Files);
        Assert.True(first.Succeeded, first.Error?.ToString());
        Assert.Empty(clean.Value!.Files);
        Assert.True(checkout.Succeeded, checkout.Error?.ToString());
        Assert.True(second.Succeeded, second.Error?.ToString());
        Assert.Equal(["feature/x", "main"], branches.Value!.Order(StringComparer.Ordinal));
        Assert.Equal("feature/x", onFeature.Value!.Branch);
        Assert.True(back.Succeeded, back.Error?.ToString());
        Assert.Equal([first.Value], log.Value!.Select(c => c.Hash));
        Assert.Equal("second\nfirst\n", featureLog.Stdout);
        Assert.Equal("main", (await Git.StatusAsync(sandbox.Id, "proj")).Value!.Branch);
    }

    [Theory]
    [InlineData("-b")]
    [InlineData("")]
    public async Task CheckoutAsync_BadBranch_IsInvalidArgument(string branch)
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Git.InitAsync(sandbox.Id, "");

        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Git.CheckoutAsync(sandbox.Id, "", branch)).Error!.Kind);
    }

    [Fact]
    public async Task StatusAsync_MissingFolder_IsNotFound()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        Assert.Equal(SandboxErrorKind.NotFound, (await Git.StatusAsync(sandbox.Id, "nope")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Git.StatusAsync(sandbox.Id, "/etc")).Error!.Kind);
    }

    [Fact]
    public async Task CloneAsync_LocalPathAndFileUrl_ClonesRepository()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var sandbox = await fixture.CreateSandboxAsync();

        var byPath = await Git.CloneAsync(sandbox.Id, source, "by-path");
        var byUrl = await Git.CloneAsync(sandbox.Id, "file://" + source, "/workspace/by-url");

        Assert.True(byPath.Succeeded, byPath.Error?.ToString());
        Assert.True(byUrl.Succeeded, byUrl.Error?.ToString());
        Assert.Equal("hello from the host\n", Encoding.UTF8.GetString((await fixture.Provider.Files.ReadAsync(sandbox.Id, "by-path/README.md")).Value!));
        Assert.Equal("hello from the host\n", Encoding.UTF8.GetString((await fixture.Provider.Files.ReadAsync(sandbox.Id, "by-url/README.md")).Value!));
        Assert.Equal("main", (await Git.StatusAsync(sandbox.Id, "by-url")).Value!.Branch);
        Assert.Equal("initial", (await Git.LogAsync(sandbox.Id, "by-path")).Value![0].Message);

        // The mount exists only while git clones (read-only): afterwards the sandbox cannot reach the host repository at all.
        var tamper = await fixture.BashAsync(sandbox.Id, "touch \"$(git -C by-path remote get-url origin)/tampered\"");
        Assert.NotEqual(0, tamper.ExitCode);
        Assert.Contains("No such file or directory", tamper.Stderr);
        Assert.False(File.Exists(Path.Combine(source, "tampered")));
    }

    [Fact]
    public async Task CloneAsync_WithBranch_ChecksOutBranch()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, source, "repo", "feature");

        Assert.True(cloned.Succeeded, cloned.Error?.ToString());
        Assert.Equal("feature", (await Git.StatusAsync(sandbox.Id, "repo")).Value!.Branch);
        Assert.True((await fixture.Provider.Files.InfoAsync(sandbox.Id, "repo/feature.txt")).Succeeded);
    }

    [Fact]
    public async Task CloneAsync_MissingBranch_Fails()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, source, "repo", "no-such-branch");

        Assert.False(cloned.Succeeded);
        Assert.Contains("no-such-branch", cloned.Error!.Message);
    }

    [Fact]
    public async Task PushAsync_ToBareRepository_CommitArrivesOnHost()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var bare = Path.Combine(host.Path, "remote.git");
        await Host.GitAsync("clone", "--quiet", "--bare", source, bare);
        var (chown, _, chownError) = await Host.RunAsync("/usr/bin/chown", "-R", "200000:200000", bare);
        Assert.True(chown == 0, chownError);
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, "file://" + bare, "work");
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "work/pushed.txt", Encoding.UTF8.GetBytes("from the sandbox\n"));
        await Git.AddAsync(sandbox.Id, "work", []);
        var commit = await Git.CommitAsync(sandbox.Id, "work", "pushed from sandbox");
        var pushed = await Git.PushAsync(sandbox.Id, "work");

        Assert.True(cloned.Succeeded, cloned.Error?.ToString());
        Assert.True(commit.Succeeded, commit.Error?.ToString());
        Assert.True(pushed.Succeeded, pushed.Error?.ToString());
        var hostLog = await Host.GitAsync("--git-dir=" + bare, "log", "-1", "--format=%H %s", "main");
        Assert.Equal($"{commit.Value} pushed from sandbox\n", hostLog);

        // A new branch pushes with --set-upstream.
        await Git.CheckoutAsync(sandbox.Id, "work", "topic");
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "work/topic.txt", Encoding.UTF8.GetBytes("topic\n"));
        await Git.AddAsync(sandbox.Id, "work", []);
        var topic = await Git.CommitAsync(sandbox.Id, "work", "topic commit");
        var pushedTopic = await Git.PushAsync(sandbox.Id, "work");
        Assert.True(pushedTopic.Succeeded, pushedTopic.Error?.ToString());
        Assert.Equal($"{topic.Value}\n", await Host.GitAsync("--git-dir=" + bare, "rev-parse", "topic"));
    }

    [Fact]
    public async Task PullAsync_NewCommitOnRemote_FastForwards()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var sandbox = await fixture.CreateSandboxAsync();
        Assert.True((await Git.CloneAsync(sandbox.Id, source, "repo")).Succeeded);
        await File.WriteAllTextAsync(Path.Combine(source, "later.txt"), "later\n");
        await Host.GitAsync("-C", source, "add", "later.txt");
        await Host.GitAsync("-C", source, "commit", "--quiet", "-m", "later");
        await Host.RunAsync("/usr/bin/chmod", "-R", "a+rX", source);

        var pulled = await Git.PullAsync(sandbox.Id, "repo");

        Assert.True(pulled.Succeeded, pulled.Error?.ToString());
        Assert.Equal("later", (await Git.LogAsync(sandbox.Id, "repo", 1)).Value![0].Message);
    }

    [Fact]
    public async Task CloneAsync_IntoNonEmptyFolder_IsConflict()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "busy/file.txt", new byte[1]);

        var into = await Git.CloneAsync(sandbox.Id, source, "busy");
        var root = await Git.CloneAsync(sandbox.Id, source, "/workspace");

        Assert.Equal(SandboxErrorKind.Conflict, into.Error!.Kind);
        Assert.Equal(SandboxErrorKind.Conflict, root.Error!.Kind);
    }

    [Theory]
    [InlineData("ext::sh -c touch% /tmp/pwned")]
    [InlineData("EXT::sh -c id")]
    [InlineData("--upload-pack=touch /tmp/pwned")]
    [InlineData("")]
    public async Task CloneAsync_DangerousUrl_IsInvalidArgument(string url)
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, url, "repo");

        Assert.Equal(SandboxErrorKind.InvalidArgument, cloned.Error!.Kind);
    }

    [Fact]
    public async Task CloneAsync_MissingLocalRepository_IsNotFound()
    {
        using var host = new TempDirectory("wfe-git-");
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, Path.Combine(host.Path, "no-repo"), "repo");

        Assert.Equal(SandboxErrorKind.NotFound, cloned.Error!.Kind);
    }

    [Fact]
    public async Task CreateAsync_WithGitRepo_ClonesIntoWorkspace()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);

        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { GitRepo = source, GitBranch = "feature" });
        var root = await fixture.BashAsync(sandbox.Id, "ls -1 / | tr '\\n' ' '");

        Assert.Equal(source, sandbox.GitRepo);
        Assert.Equal("feature", (await Git.StatusAsync(sandbox.Id, "/workspace")).Value!.Branch);
        Assert.True((await fixture.Provider.Files.InfoAsync(sandbox.Id, "README.md")).Succeeded);
        Assert.True((await fixture.Provider.Files.InfoAsync(sandbox.Id, "feature.txt")).Succeeded);

        // The host repository is bound (at /mnt/git/…) only while git runs, never into other commands.
        Assert.Equal("bin dev etc lib lib64 proc sbin tmp usr workspace ", root.Stdout);
    }

    [Fact]
    public async Task CreateAsync_WithMissingGitRepo_FailsAndLeavesNothing()
    {
        var name = "bad-clone-" + Guid.NewGuid().ToString("N")[..6];

        var created = await fixture.Provider.CreateAsync(new SandboxSpec { Name = name, GitRepo = "/nonexistent/repo" });

        Assert.False(created.Succeeded);
        Assert.Contains("cloning failed", created.Error!.Message);
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.GetAsync(name)).Error!.Kind);
    }
}
