using System.Net;
using System.Net.Sockets;
using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

/// <summary>What git may reach on the host: local repositories only beneath the git roots, bound for one command at a time, and no host network.</summary>
public sealed class LocalSandboxGitHostAccessTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    // Records what a program planted by sandboxed code can see when git runs it: the host repositories bound at /mnt/git.
    private const string Spy = "#!/bin/sh\n{ echo \"ran $0\"; for d in /mnt/git/*; do [ -d \"$d\" ] && echo \"$d\" && touch \"$d/planted-by-sandbox\"; done; } >> /workspace/spy.log 2>&1\nexit 0\n";

    private ISandboxGit Git => fixture.Provider.Git;

    [Theory]
    [InlineData("/proc")]
    [InlineData("file:///proc")]
    [InlineData("/etc")]
    [InlineData("/sys")]
    [InlineData("/dev")]
    [InlineData("/proc/self/root/etc")]
    public async Task CloneAsync_SystemFolder_IsRefusedAndNothingStaysBound(string url)
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, url, "x");

        Assert.Equal(SandboxErrorKind.InvalidArgument, cloned.Error?.Kind);
        Assert.Contains("no sandbox may reach", cloned.Error!.Message);
        Assert.Equal("ran /workspace/spy.sh\n", await SpyOnStatusAsync(sandbox.Id));
    }

    [Fact]
    public async Task CloneAsync_DataDirectoryOrAFolderHoldingIt_IsRefused()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var other = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(other.Id, "git init -q repo");
        var otherRepository = Directory.GetDirectories(fixture.DataDirectory, "repo", SearchOption.AllDirectories).Single();

        var data = await Git.CloneAsync(sandbox.Id, fixture.DataDirectory, "a");
        var inside = await Git.CloneAsync(sandbox.Id, otherRepository, "b");
        var above = await Git.CloneAsync(sandbox.Id, Path.GetDirectoryName(fixture.DataDirectory)!, "c");

        Assert.Equal(SandboxErrorKind.InvalidArgument, data.Error?.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, inside.Error?.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, above.Error?.Kind);
        Assert.Contains(fixture.DataDirectory, above.Error!.Message);
        Assert.Equal("ran /workspace/spy.sh\n", await SpyOnStatusAsync(sandbox.Id));
    }

    [Fact]
    public async Task CloneAsync_LinkInsideRootToFolderOutside_IsRefused()
    {
        using var root = new TempDirectory("wfe-git-root-");
        using var outside = new TempDirectory("wfe-git-outside-");
        var source = await Host.CreateRepositoryAsync(outside.Path);
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "link"), outside.Path);
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "etc"), "/etc");
        var provider = fixture.Create(o => o.GitRoots = [root.Path]);
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);

        var throughLink = await provider.Git.CloneAsync(sandbox.Id, Path.Combine(root.Path, "link", "source"), "a");
        var direct = await provider.Git.CloneAsync(sandbox.Id, source, "b");
        var linkedEtc = await provider.Git.CloneAsync(sandbox.Id, "file://" + Path.Combine(root.Path, "etc"), "c");

        Assert.Equal(SandboxErrorKind.InvalidArgument, throughLink.Error?.Kind);
        Assert.Contains($"really {source}", throughLink.Error!.Message);
        Assert.Contains("--git-root", throughLink.Error.Message);
        Assert.Equal(SandboxErrorKind.InvalidArgument, direct.Error?.Kind);
        Assert.Contains("is outside", direct.Error!.Message);
        Assert.Equal(SandboxErrorKind.InvalidArgument, linkedEtc.Error?.Kind);
        Assert.Contains("is in /etc", linkedEtc.Error!.Message);
    }

    [Fact]
    public async Task CloneAsync_DefaultRoots_AllowOnlyTheCurrentDirectory()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var provider = fixture.Create(o => o.GitRoots = null);
        var none = fixture.Create(o => o.GitRoots = []);
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);

        var outside = await provider.Git.CloneAsync(sandbox.Id, source, "a");
        var noRoots = await none.Git.CloneAsync(sandbox.Id, source, "b");

        Assert.Equal(SandboxErrorKind.InvalidArgument, outside.Error?.Kind);
        Assert.Contains($"is outside {HostPathPolicy.RealPath(Directory.GetCurrentDirectory())}", outside.Error!.Message);
        Assert.Equal(SandboxErrorKind.InvalidArgument, noRoots.Error?.Kind);
        Assert.Contains("no host folder is allowed", noRoots.Error!.Message);
    }

    [Fact]
    public async Task CloneAsync_FailedLocalClone_RemembersNothing()
    {
        using var host = new TempDirectory("wfe-git-");
        var notARepository = Directory.CreateDirectory(Path.Combine(host.Path, "plain")).FullName;
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, notARepository, "x");

        Assert.Equal(SandboxErrorKind.Failed, cloned.Error?.Kind);
        Assert.Equal("{}", new WorkflowEngine.Daytona.Local.Storage.SandboxStore(new WorkflowEngine.Daytona.Local.Isolation.SandboxLayout(fixture.DataDirectory, sandboxGid: -1).Database).Find(sandbox.Id)!.GitMountsJson);
    }

    [Theory]
    [InlineData("relative")]
    [InlineData("/proc/sys")]
    [InlineData("")]
    public void Validate_BadGitRoot_NamesIt(string root)
    {
        var problems = new LocalSandboxOptions { DataDirectory = "/var/lib/wfe-test", GitRoots = [root] }.Validate();

        Assert.NotNull(problems);
        Assert.Contains($"GitRoots", problems);
        Assert.Contains($"'{root}'", problems);
    }

    [Fact]
    public void Validate_GitRootInDataDirectory_NamesIt()
    {
        var problems = new LocalSandboxOptions { DataDirectory = "/var/lib/wfe-test", GitRoots = ["/srv", "/var/lib/wfe-test/sandboxes"] }.Validate();

        Assert.Contains("'/var/lib/wfe-test/sandboxes'", problems);
        Assert.DoesNotContain("'/srv'", problems);
    }

    [Fact]
    public async Task StatusAsync_FsmonitorPlantedAfterClone_SeesNoHostRepository()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var sandbox = await fixture.CreateSandboxAsync();
        var cloned = await Git.CloneAsync(sandbox.Id, source, "x");
        Assert.True(cloned.Succeeded, cloned.Error?.ToString());

        var seen = await SpyOnStatusAsync(sandbox.Id, "x");

        // The planted program ran (git status starts it) but no host repository was bound while it did.
        Assert.Equal("ran /workspace/spy.sh\n", seen);
        Assert.False(File.Exists(Path.Combine(source, "planted-by-sandbox")));
    }

    [Fact]
    public async Task PushAsync_PlantedHooksReceivePackAndFsmonitor_PushesWithoutRunningThemOrTouchingOtherRepositories()
    {
        using var host = new TempDirectory("wfe-git-");
        var source = await Host.CreateRepositoryAsync(host.Path);
        var bare = Path.Combine(host.Path, "remote.git");
        await Host.GitAsync("clone", "--quiet", "--bare", source, bare);
        var (chown, _, chownError) = await Host.RunAsync("/usr/bin/chown", "-R", "200000:200000", bare, source);
        Assert.True(chown == 0, chownError);
        var sandbox = await fixture.CreateSandboxAsync();
        Assert.True((await Git.CloneAsync(sandbox.Id, source, "other")).Succeeded);
        Assert.True((await Git.CloneAsync(sandbox.Id, "file://" + bare, "work")).Succeeded);
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "spy.sh", Encoding.UTF8.GetBytes(Spy));
        var planted = await fixture.BashAsync(sandbox.Id, """
            echo change > work/change.txt && git -C work add change.txt && git -C work commit -qm change &&
            chmod +x spy.sh && cp spy.sh work/.git/hooks/pre-push && cp spy.sh work/.git/hooks/reference-transaction &&
            git -C work config core.fsmonitor /workspace/spy.sh &&
            git -C work config remote.origin.receivepack '/workspace/spy.sh' &&
            git -C work config push.gpgSign true && git -C work config gpg.program /workspace/spy.sh
            """);
        Assert.True(planted.ExitCode == 0, planted.Stderr);

        var pushed = await Git.PushAsync(sandbox.Id, "work");

        Assert.True(pushed.Succeeded, pushed.Error?.ToString());
        Assert.Equal("change", (await Host.GitAsync("--git-dir=" + bare, "log", "-1", "--format=%s", "main")).Trim());
        var spied = await fixture.Provider.Files.ReadAsync(sandbox.Id, "spy.log");
        Assert.True(!spied.Succeeded, spied.Succeeded ? Encoding.UTF8.GetString(spied.Value) : "");
        Assert.Empty(Directory.GetFiles(host.Path, "planted-by-sandbox", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CloneAsync_LoopbackUrlIntoSandboxWithoutNetwork_IsRefusedWithoutAnyRequest()
    {
        using var server = new CountingServer();
        var sandbox = await fixture.CreateSandboxAsync();

        var cloned = await Git.CloneAsync(sandbox.Id, $"http://127.0.0.1:{server.Port}/r.git", "r");

        Assert.Equal(SandboxErrorKind.InvalidArgument, cloned.Error?.Kind);
        Assert.Contains("no network", cloned.Error!.Message);
        Assert.Contains("network: true", cloned.Error.Message);
        Assert.Equal(0, server.Connections);
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.Files.InfoAsync(sandbox.Id, "r")).Error?.Kind);
    }

    [Theory]
    [InlineData("fd::0")]
    [InlineData("fd::0,1/r")]
    [InlineData("ext::sh -c id")]
    [InlineData("testgit::/tmp/r")]
    [InlineData("gopher://127.0.0.1/r")]
    [InlineData("ftp://127.0.0.1/r")]
    [InlineData("relative/repo")]
    public async Task CloneAsync_UnknownTransport_IsRefusedUpFrontEvenWithNetwork(string url)
    {
        var offline = await fixture.CreateSandboxAsync();
        var online = await fixture.CreateSandboxAsync(new SandboxSpec { Network = true });

        var withoutNetwork = await Git.CloneAsync(offline.Id, url, "r");
        var withNetwork = await Git.CloneAsync(online.Id, url, "r");

        Assert.Equal(SandboxErrorKind.InvalidArgument, withoutNetwork.Error?.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, withNetwork.Error?.Kind);
        Assert.Contains("https://", withNetwork.Error!.Message);
    }

    /// <summary>Plants a program as <c>core.fsmonitor</c> in a repository, runs the provider's status there, and returns what the program saw.</summary>
    private async Task<string> SpyOnStatusAsync(string sandbox, string repository = "spy-repo")
    {
        await fixture.Provider.Files.WriteAsync(sandbox, "spy.sh", Encoding.UTF8.GetBytes(Spy));
        var planted = await fixture.BashAsync(sandbox, """
            chmod +x spy.sh && rm -f spy.log &&
            { [ -d "$1" ] || { git init -q "$1" && touch "$1/f" && git -C "$1" add f && git -C "$1" -c user.name=s -c user.email=s@x commit -qm f; }; } &&
            git -C "$1" config core.fsmonitor /workspace/spy.sh
            """, arguments: repository);
        Assert.True(planted.ExitCode == 0, planted.Stderr);
        var status = await Git.StatusAsync(sandbox, repository);
        Assert.True(status.Succeeded, status.Error?.ToString());
        var log = await fixture.Provider.Files.ReadAsync(sandbox, "spy.log");
        return log.Succeeded ? Encoding.UTF8.GetString(log.Value) : "";
    }

    /// <summary>A TCP server on 127.0.0.1 that counts connections and answers each with 404.</summary>
    private sealed class CountingServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        public CountingServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    await client.GetStream().WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }
}
