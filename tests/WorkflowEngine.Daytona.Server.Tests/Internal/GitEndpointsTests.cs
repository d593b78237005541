using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

public sealed partial class GitEndpointsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Author = "Test Author";
    private const string Email = "author@example.test";

    /// <summary>The spec's <c>Status</c> enum.</summary>
    private static readonly string[] FileStatuses = ["Unmodified", "Untracked", "Modified", "Added", "Deleted", "Renamed", "Copied", "Updated but unmerged"];

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<string> RouteAsync(string route) => ServerFixture.Toolbox(await fixture.SharedSandboxAsync(), route);

    private async Task<HttpResponseMessage> PostAsync(string route, object body) => await fixture.Client.PostAsJsonAsync(await RouteAsync(route), body);

    private async Task<JsonElement> GetAsync(string route, string path)
    {
        using var response = await fixture.Client.GetAsync(await RouteAsync($"{route}?path={Uri.EscapeDataString(path)}"));
        return await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>A fresh repository folder in the shared sandbox, created through <c>/git/init</c>.</summary>
    private async Task<string> InitAsync()
    {
        var repo = Unique("repo");
        using var response = await PostAsync("git/init", new { path = repo });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return repo;
    }

    private async Task WriteAsync(string path, string content) =>
        await fixture.UploadAsync(await fixture.SharedSandboxAsync(), path, Encoding.UTF8.GetBytes(content));

    private async Task AddAllAsync(string repo)
    {
        using var response = await PostAsync("git/add", new { path = repo, files = new[] { "." } });
        await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
    }

    private async Task<string> CommitAsync(string repo, string message)
    {
        using var response = await PostAsync("git/commit", new { path = repo, message, author = Author, email = Email });
        var hash = (await HttpAssert.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("hash").GetString()!;
        Assert.Matches(CommitHash(), hash);
        return hash;
    }

    [Fact]
    public async Task Init_NewFolder_Returns201AndCreatesARepository()
    {
        var repo = await InitAsync();

        using var info = await fixture.Client.GetAsync(await RouteAsync($"files/info?path={Uri.EscapeDataString(repo + "/.git")}"));
        Assert.True((await HttpAssert.ExpectAsync(info, HttpStatusCode.OK)).GetProperty("isDir").GetBoolean());
        var status = await GetAsync("git/status", repo);
        Assert.False(string.IsNullOrEmpty(status.GetProperty("currentBranch").GetString()));
        Assert.Empty(status.GetProperty("fileStatus").EnumerateArray());
    }

    [Fact]
    public async Task AddCommitHistory_NewFile_MovesThroughUntrackedAddedAndCommitted()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/a.txt", "first\n");

        var untracked = Assert.Single((await GetAsync("git/status", repo)).GetProperty("fileStatus").EnumerateArray());
        Assert.Equal("a.txt", untracked.GetProperty("name").GetString());
        Assert.Equal("Untracked", untracked.GetProperty("worktree").GetString());
        AssertSpecStatuses(untracked);

        await AddAllAsync(repo);
        var added = Assert.Single((await GetAsync("git/status", repo)).GetProperty("fileStatus").EnumerateArray());
        Assert.Equal("a.txt", added.GetProperty("name").GetString());
        Assert.Equal("Added", added.GetProperty("staging").GetString());
        AssertSpecStatuses(added);

        var hash = await CommitAsync(repo, "add a.txt");
        var clean = await GetAsync("git/status", repo);
        Assert.Empty(clean.GetProperty("fileStatus").EnumerateArray());

        var entry = Assert.Single((await GetAsync("git/history", repo)).EnumerateArray());
        Assert.Equal(hash, entry.GetProperty("hash").GetString());
        Assert.Equal(Author, entry.GetProperty("author").GetString());
        Assert.Equal(Email, entry.GetProperty("email").GetString());
        Assert.Equal("add a.txt", entry.GetProperty("message").GetString());
        var timestamp = DateTimeOffset.Parse(entry.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Status_ModifiedAndDeletedFiles_ReportWorktreeStatuses()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/keep.txt", "v1\n");
        await WriteAsync(repo + "/gone.txt", "bye\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "initial");

        await WriteAsync(repo + "/keep.txt", "v2\n");
        Assert.Equal(0, (await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"rm {repo}/gone.txt")).ExitCode);

        var files = (await GetAsync("git/status", repo)).GetProperty("fileStatus").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["gone.txt", "keep.txt"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Modified", files["keep.txt"].GetProperty("worktree").GetString());
        Assert.Equal("Deleted", files["gone.txt"].GetProperty("worktree").GetString());
        Assert.All(files.Values, AssertSpecStatuses);
    }

    [Fact]
    public async Task History_SeveralCommits_ListsNewestFirst()
    {
        var repo = await InitAsync();
        var hashes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await WriteAsync(repo + "/n.txt", $"{i}\n");
            await AddAllAsync(repo);
            hashes.Add(await CommitAsync(repo, $"commit {i}"));
        }

        var history = (await GetAsync("git/history", repo)).EnumerateArray().ToList();

        Assert.Equal(Enumerable.Reverse(hashes), history.Select(e => e.GetProperty("hash").GetString()));
        Assert.Equal(["commit 2", "commit 1", "commit 0"], history.Select(e => e.GetProperty("message").GetString()));
        Assert.Equal(3, hashes.Distinct().Count());
    }

    [Fact]
    public async Task Commit_MessageWithShellMetacharactersAndQuotes_IsStoredVerbatim()
    {
        var id = await fixture.SharedSandboxAsync();
        var repo = await InitAsync();
        var marker = Unique("pwned");
        var message = $"Fix \"double\" and 'single' quotes; $(touch /workspace/{marker}) `touch /workspace/{marker}` && rm -rf / || echo $HOME > x | cat\n\n  body line with \\backslash and tab\t and * glob ?";
        await WriteAsync(repo + "/m.txt", "m\n");
        await AddAllAsync(repo);

        var hash = await CommitAsync(repo, message);

        var entry = Assert.Single((await GetAsync("git/history", repo)).EnumerateArray());
        Assert.Equal(hash, entry.GetProperty("hash").GetString());
        Assert.Equal(message, entry.GetProperty("message").GetString());
        var (_, listing) = await fixture.ExecAsync(id, "ls /workspace");
        Assert.DoesNotContain(marker, listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_AllowEmptyOnACleanTree_MakesANewCommitWithTheMessageAndIdentity()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/e.txt", "e\n");
        await AddAllAsync(repo);
        var first = await CommitAsync(repo, "first");
        var message = "empty; $(echo not run) \"quoted\"";

        using var refused = await PostAsync("git/commit", new { path = repo, message = "nothing", author = "A", email = "a@x" });
        using var allowed = await PostAsync("git/commit", new { path = repo, message, author = "Empty Author", email = "empty@example.com", allow_empty = true });

        Assert.False(refused.IsSuccessStatusCode);
        var hash = (await HttpAssert.ExpectAsync(allowed, HttpStatusCode.OK)).GetProperty("hash").GetString()!;
        Assert.Matches("^[0-9a-f]{40}$", hash);
        Assert.NotEqual(first, hash);
        var newest = (await GetAsync("git/history", repo)).EnumerateArray().First();
        Assert.Equal(hash, newest.GetProperty("hash").GetString());
        Assert.Equal(message, newest.GetProperty("message").GetString()!.TrimEnd('\n'));
        Assert.Equal("Empty Author", newest.GetProperty("author").GetString());
        Assert.Equal("empty@example.com", newest.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Branches_CreateListCheckoutDelete_UseSpecStatuses()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/a.txt", "a\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "initial");
        var main = (await GetAsync("git/status", repo)).GetProperty("currentBranch").GetString()!;
        var feature = Unique("feature");

        using (var created = await PostAsync("git/branches", new { path = repo, name = feature }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var listed = await GetAsync("git/branches", repo);
        Assert.Equal(new[] { feature, main }.Order(StringComparer.Ordinal), listed.GetProperty("branches").EnumerateArray().Select(b => b.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(main, listed.GetProperty("current").GetString());

        using (var duplicate = await PostAsync("git/branches", new { path = repo, name = feature }))
        {
            await HttpAssert.ExpectToolboxErrorAsync(duplicate, HttpStatusCode.Conflict, "GIT_BRANCH_EXISTS");
        }

        using (var checkout = await PostAsync("git/checkout", new { path = repo, branch = feature }))
        {
            await HttpAssert.ExpectAsync(checkout, HttpStatusCode.OK);
        }

        Assert.Equal(feature, (await GetAsync("git/status", repo)).GetProperty("currentBranch").GetString());
        Assert.Equal(feature, (await GetAsync("git/branches", repo)).GetProperty("current").GetString());

        using (var back = await PostAsync("git/checkout", new { path = repo, branch = main }))
        {
            await HttpAssert.ExpectAsync(back, HttpStatusCode.OK);
        }

        // DELETE carries its arguments in a JSON body.
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, await RouteAsync("git/branches")) { Content = JsonContent.Create(new { path = repo, name = feature }) })
        using (var deleted = await fixture.Client.SendAsync(delete))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var after = await GetAsync("git/branches", repo);
        Assert.Equal([main], after.GetProperty("branches").EnumerateArray().Select(b => b.GetString()!));
    }

    [Fact]
    public async Task DeleteBranch_Unknown_Returns404BranchNotFound()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/a.txt", "a\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "initial");

        using var request = new HttpRequestMessage(HttpMethod.Delete, await RouteAsync("git/branches")) { Content = JsonContent.Create(new { path = repo, name = Unique("nope") }) };
        using var response = await fixture.Client.SendAsync(request);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound, "GIT_BRANCH_NOT_FOUND");
    }

    [Theory]
    [InlineData("--force")]
    [InlineData("-D")]
    [InlineData("bad name")]
    public async Task CreateBranch_OptionLikeOrInvalidName_Returns400(string name)
    {
        var repo = await InitAsync();

        using var response = await PostAsync("git/branches", new { path = repo, name });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Checkout_CommitHash_ChecksOutThatCommitsFiles()
    {
        var id = await fixture.SharedSandboxAsync();
        var repo = await InitAsync();
        await WriteAsync(repo + "/v.txt", "one\n");
        await AddAllAsync(repo);
        var first = await CommitAsync(repo, "one");
        await WriteAsync(repo + "/v.txt", "two\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "two");

        using var response = await PostAsync("git/checkout", new { path = repo, branch = first });

        await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        var (_, content) = await fixture.ExecAsync(id, $"cat {repo}/v.txt");
        Assert.Equal("one\n", content);
        var (_, head) = await fixture.ExecAsync(id, "git rev-parse HEAD", cwd: repo);
        Assert.Equal(first, head.Trim());
        var status = await GetAsync("git/status", repo);
        Assert.True(status.GetProperty("detached").GetBoolean());
        Assert.DoesNotContain(first, (await GetAsync("git/branches", repo)).GetProperty("branches").EnumerateArray().Select(b => b.GetString()));
    }

    [Fact]
    public async Task Checkout_UnknownCommitHash_Returns404BranchNotFound()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/a.txt", "a\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "initial");

        using var response = await PostAsync("git/checkout", new { path = repo, branch = "deadbeefdeadbeef" });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound, "GIT_BRANCH_NOT_FOUND");
    }

    [Fact]
    public async Task Status_NamesGitQuotes_AreReportedAsPlainNames()
    {
        var id = await fixture.SharedSandboxAsync();
        var repo = await InitAsync();
        const string Accented = "na\u00efve file.txt";
        const string Quoted = "q\"uote.txt";
        const string Renamed = "renamed \u00e9.txt";
        await WriteAsync($"{repo}/{Accented}", "a\n");
        await WriteAsync($"{repo}/{Quoted}", "q\n");

        var untracked = (await GetAsync("git/status", repo)).GetProperty("fileStatus").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { Accented, Quoted }.Order(StringComparer.Ordinal), untracked);

        await AddAllAsync(repo);
        await CommitAsync(repo, "names");
        Assert.Equal(0, (await fixture.ExecAsync(id, $"git mv '{Accented}' '{Renamed}'", cwd: repo)).ExitCode);
        var renamed = Assert.Single((await GetAsync("git/status", repo)).GetProperty("fileStatus").EnumerateArray());
        Assert.Equal(Renamed, renamed.GetProperty("name").GetString());
        Assert.Equal(Accented, renamed.GetProperty("extra").GetString());
        Assert.Equal("Renamed", renamed.GetProperty("staging").GetString());
    }

    [Fact]
    public async Task Clone_HostRepositoryBranch_ChecksOutThatBranch()
    {
        using var host = new HostGit();
        var source = await host.CreateRepositoryAsync();
        var target = Unique("clone");

        using var response = await PostAsync("git/clone", new { url = source, path = target, branch = "feature" });

        await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        var status = await GetAsync("git/status", target);
        Assert.Equal("feature", status.GetProperty("currentBranch").GetString());
        var (exitCode, content) = await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"cat {target}/feature.txt");
        Assert.Equal(0, exitCode);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(source, "README.md")), await DownloadTextAsync(target + "/README.md"));
        Assert.Equal("feature\n", content);
    }

    [Fact]
    public async Task Clone_CommitId_EndsDetachedOnThatCommit()
    {
        using var host = new HostGit();
        var source = await host.CreateRepositoryAsync();
        var initial = (await HostGit.GitAsync("-C", source, "rev-parse", "main")).Trim();
        var target = Unique("at-commit");

        using var response = await PostAsync("git/clone", new Dictionary<string, string> { ["url"] = source, ["path"] = target, ["branch"] = "feature", ["commit_id"] = initial });

        await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        var (_, head) = await fixture.ExecAsync(await fixture.SharedSandboxAsync(), "git rev-parse HEAD", cwd: target);
        Assert.Equal(initial, head.Trim());
        Assert.True((await GetAsync("git/status", target)).GetProperty("detached").GetBoolean());
    }

    [Theory]
    [InlineData("--upload-pack=touch x")]
    [InlineData("not-a-hash")]
    public async Task Clone_CommitIdNotAHash_Returns400BeforeCloning(string commitId)
    {
        var target = Unique("c");

        using var response = await PostAsync("git/clone", new Dictionary<string, string> { ["url"] = "/nonexistent", ["path"] = target, ["commit_id"] = commitId });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PushThenPull_BareHostRemote_CommitsTravelBothWays()
    {
        using var host = new HostGit();
        var bare = await host.CreateBareAsync(await host.CreateRepositoryAsync());
        var work = Unique("work");
        using (var cloned = await PostAsync("git/clone", new { url = "file://" + bare, path = work }))
        {
            await HttpAssert.ExpectAsync(cloned, HttpStatusCode.OK);
        }

        await WriteAsync(work + "/pushed.txt", "from the sandbox\n");
        await AddAllAsync(work);
        var pushedHash = await CommitAsync(work, "pushed from sandbox");
        using (var pushed = await PostAsync("git/push", new { path = work }))
        {
            await HttpAssert.ExpectAsync(pushed, HttpStatusCode.OK);
        }

        Assert.Equal(pushedHash, (await HostGit.GitAsync("--git-dir=" + bare, "rev-parse", "main")).Trim());

        // A second clone pushes a commit; pull brings it into the first.
        var other = Unique("other");
        using (var cloned = await PostAsync("git/clone", new { url = "file://" + bare, path = other }))
        {
            await HttpAssert.ExpectAsync(cloned, HttpStatusCode.OK);
        }

        await WriteAsync(other + "/later.txt", "later\n");
        await AddAllAsync(other);
        var laterHash = await CommitAsync(other, "later");
        using (var pushed = await PostAsync("git/push", new { path = other }))
        {
            await HttpAssert.ExpectAsync(pushed, HttpStatusCode.OK);
        }

        using (var pulled = await PostAsync("git/pull", new { path = work }))
        {
            await HttpAssert.ExpectAsync(pulled, HttpStatusCode.OK);
        }

        Assert.Equal(laterHash, (await GetAsync("git/history", work)).EnumerateArray().First().GetProperty("hash").GetString());
        Assert.Equal("later\n", await DownloadTextAsync(work + "/later.txt"));
    }

    [Fact]
    public async Task Checkout_UnknownBranch_ReturnsClientErrorAndStaysPut()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/a.txt", "a\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "initial");
        var before = (await GetAsync("git/status", repo)).GetProperty("currentBranch").GetString();

        using var response = await PostAsync("git/checkout", new { path = repo, branch = Unique("no-such-branch") });

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal(before, (await GetAsync("git/status", repo)).GetProperty("currentBranch").GetString());
    }

    [Fact]
    public async Task Checkout_LocalChangesWouldBeOverwritten_Returns409DirtyWorktree()
    {
        var repo = await InitAsync();
        await WriteAsync(repo + "/a.txt", "base\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "base");
        var main = (await GetAsync("git/status", repo)).GetProperty("currentBranch").GetString()!;
        var feature = Unique("feature");
        using (var created = await PostAsync("git/branches", new { path = repo, name = feature }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var toFeature = await PostAsync("git/checkout", new { path = repo, branch = feature }))
        {
            await HttpAssert.ExpectAsync(toFeature, HttpStatusCode.OK);
        }

        await WriteAsync(repo + "/a.txt", "feature\n");
        await AddAllAsync(repo);
        await CommitAsync(repo, "feature change");
        using (var toMain = await PostAsync("git/checkout", new { path = repo, branch = main }))
        {
            await HttpAssert.ExpectAsync(toMain, HttpStatusCode.OK);
        }

        await WriteAsync(repo + "/a.txt", "uncommitted\n");

        using var response = await PostAsync("git/checkout", new { path = repo, branch = feature });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.Conflict, "GIT_DIRTY_WORKTREE");
        Assert.Equal(main, (await GetAsync("git/status", repo)).GetProperty("currentBranch").GetString());
        Assert.Equal("uncommitted\n", await DownloadTextAsync(repo + "/a.txt"));
    }

    [Fact]
    public async Task Push_RemoteMovedOn_Returns409PushRejected()
    {
        using var host = new HostGit();
        var bare = await host.CreateBareAsync(await host.CreateRepositoryAsync());
        var first = Unique("first");
        var second = Unique("second");
        foreach (var clone in new[] { first, second })
        {
            using var cloned = await PostAsync("git/clone", new { url = "file://" + bare, path = clone });
            await HttpAssert.ExpectAsync(cloned, HttpStatusCode.OK);
            await WriteAsync($"{clone}/{clone}.txt", clone + "\n");
            await AddAllAsync(clone);
            await CommitAsync(clone, "from " + clone);
        }

        using (var pushed = await PostAsync("git/push", new { path = first }))
        {
            await HttpAssert.ExpectAsync(pushed, HttpStatusCode.OK);
        }

        var remoteHead = await HostGit.GitAsync("--git-dir=" + bare, "rev-parse", "main");

        using var rejected = await PostAsync("git/push", new { path = second });

        await HttpAssert.ExpectToolboxErrorAsync(rejected, HttpStatusCode.Conflict, "GIT_PUSH_REJECTED");
        Assert.Equal(remoteHead, await HostGit.GitAsync("--git-dir=" + bare, "rev-parse", "main"));
    }

    [Fact]
    public async Task Status_FolderThatIsNotARepository_Returns404RepoNotFound()
    {
        var folder = Unique("plain");
        Assert.Equal(0, (await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"mkdir {folder}")).ExitCode);

        using var response = await fixture.Client.GetAsync(await RouteAsync($"git/status?path={folder}"));

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound, "GIT_REPO_NOT_FOUND");
    }

    [Theory]
    [InlineData("/proc")]
    [InlineData("/etc")]
    [InlineData("file:///sys")]
    [InlineData("fd::0")]
    [InlineData("ext::sh -c id")]
    public async Task Clone_HostSystemFolderOrRemoteHelper_Returns400AndClonesNothing(string url)
    {
        var target = Unique("x");

        using var response = await PostAsync("git/clone", new { url, path = target });

        var body = await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(url.Contains("::", StringComparison.Ordinal) ? "remote helper" : "no sandbox may reach", body.GetProperty("message").GetString());
        var (exitCode, _) = await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"test -e {target} || test -e /mnt/git");
        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public async Task Clone_LoopbackUrlWithoutNetwork_Returns400AndTheHostServiceSeesNoRequest()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptTcpClientAsync();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        using var response = await PostAsync("git/clone", new { url = $"http://127.0.0.1:{port}/r.git", path = Unique("r") });

        var body = await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("--allow-network", body.GetProperty("message").GetString());
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(async () => (await accepted).Dispose());
    }

    [Fact]
    public async Task Status_MissingFolder_Returns404RepoNotFound()
    {
        using var response = await fixture.Client.GetAsync(await RouteAsync($"git/status?path={Unique("absent")}"));

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound, "GIT_REPO_NOT_FOUND");
    }

    [Theory]
    [InlineData("git/add", "{\"path\":\"r\"}")]
    [InlineData("git/add", "{\"files\":[\".\"]}")]
    [InlineData("git/commit", "{\"path\":\"r\",\"message\":\"m\"}")]
    [InlineData("git/commit", "{\"path\":\"r\",\"author\":\"a\",\"email\":\"e@x\"}")]
    [InlineData("git/checkout", "{\"path\":\"r\"}")]
    [InlineData("git/branches", "{\"path\":\"r\"}")]
    [InlineData("git/clone", "{\"path\":\"r\"}")]
    [InlineData("git/init", "not json")]
    public async Task GitPost_MissingRequiredFields_Returns400(string route, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync(await RouteAsync(route), content);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    private async Task<string> DownloadTextAsync(string path) =>
        Encoding.UTF8.GetString(await fixture.DownloadAsync(await fixture.SharedSandboxAsync(), path));

    private static void AssertSpecStatuses(JsonElement fileStatus)
    {
        Assert.Contains(fileStatus.GetProperty("staging").GetString(), FileStatuses);
        Assert.Contains(fileStatus.GetProperty("worktree").GetString(), FileStatuses);
        Assert.Equal(JsonValueKind.String, fileStatus.GetProperty("extra").ValueKind);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();
}
