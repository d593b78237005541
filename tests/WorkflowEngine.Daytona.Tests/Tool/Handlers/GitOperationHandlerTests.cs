using System.Text.RegularExpressions;
using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class GitOperationHandlerTests
{
    private static string GitStep(string id, string parameters) => $$"""
        - id: {{id}}
          tool: daytona_environment
          method: git_operation
          params:
            sandbox_id: ${steps.create.output.sandbox_id}
        {{parameters}}
        """;

    private const string CreateAndInit = """
        - id: create
          tool: daytona_environment
          method: create_sandbox
          params: {}
        - id: init
          tool: daytona_environment
          method: git_operation
          params:
            sandbox_id: ${steps.create.output.sandbox_id}
            operation: init
        - id: write
          tool: daytona_environment
          method: file_operation
          params:
            sandbox_id: ${steps.create.output.sandbox_id}
            operation: write
            file_path: README.md
            content: "hello"
        """;

    [Fact]
    public async Task GitOperation_CommitWithShellCharacters_KeepsMessageVerbatim()
    {
        const string message = "Fix \"quotes\" and 'apostrophes'\n\n$(touch /tmp/pwned) `id` ; rm -rf / && echo $HOME\nlast line";
        await using var host = DaytonaHost.Create(string.Join('\n',
            CreateAndInit,
            GitStep("status_before", """
                    operation: status
                """),
            GitStep("commit", """
                    operation: commit
                    commit_message: "Fix \"quotes\" and 'apostrophes'\n\n$(touch /tmp/pwned) `id` ; rm -rf / && echo $HOME\nlast line"
                """),
            GitStep("log", """
                    operation: log
                """),
            GitStep("status_after", """
                    operation: status
                """)));

        var result = await host.RunSucceededAsync();

        Assert.True(DaytonaHost.Output(result, "init")["success"] is true, DaytonaHost.Output(result, "init").GetValueOrDefault("error") as string);
        var before = DaytonaHost.Output(result, "status_before");
        Assert.True(before["success"] is true, before.GetValueOrDefault("error") as string);
        Assert.Contains("README.md", (string)before["output"]!);
        var commit = DaytonaHost.Output(result, "commit");
        Assert.True(commit["success"] is true, commit.GetValueOrDefault("error") as string);
        var commitId = Assert.IsType<string>(commit["commit_id"]);
        Assert.Matches(new Regex("^[0-9a-f]{40}$"), commitId);
        var log = DaytonaHost.Output(result, "log");
        Assert.True(log["success"] is true, log.GetValueOrDefault("error") as string);
        var commits = Assert.IsType<List<object?>>(log["commits"]);
        var last = Assert.IsType<Dictionary<string, object?>>(Assert.Single(commits));
        Assert.Equal(commitId, last["hash"]);
        Assert.Equal(message, last["message"]);
        Assert.Contains(commitId[..12], (string)log["output"]!);
        var after = DaytonaHost.Output(result, "status_after");
        Assert.Equal("main", after["branch"]);
        Assert.Empty(Assert.IsType<List<object?>>(after["files"]));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task GitOperation_CheckoutNewBranch_CreatesAndListsIt()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            CreateAndInit,
            GitStep("commit", """
                    operation: commit
                    commit_message: initial
                """),
            GitStep("checkout", """
                    operation: checkout
                    branch: feature/login
                """),
            GitStep("status", """
                    operation: status
                """),
            GitStep("branches", """
                    operation: branches
                """)));

        var result = await host.RunSucceededAsync();

        Assert.True(DaytonaHost.Output(result, "commit")["success"] is true, DaytonaHost.Output(result, "commit").GetValueOrDefault("error") as string);
        var checkout = DaytonaHost.Output(result, "checkout");
        Assert.True(checkout["success"] is true, checkout.GetValueOrDefault("error") as string);
        Assert.Equal("feature/login", DaytonaHost.Output(result, "status")["branch"]);
        var branches = DaytonaHost.Output(result, "branches");
        Assert.True(branches["success"] is true, branches.GetValueOrDefault("error") as string);
        var names = Assert.IsType<List<object?>>(branches["branches"]);
        Assert.Contains("main", names);
        Assert.Contains("feature/login", names);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task GitOperation_CommitWithoutMessage_FailsWithInvalidParameters()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            CreateAndInit,
            GitStep("commit", """
                    operation: commit
                """)));

        var result = await host.RunSucceededAsync();

        var commit = DaytonaHost.Output(result, "commit");
        Assert.Equal(false, commit["success"]);
        Assert.Equal("invalid_parameters", commit["error_type"]);
        Assert.Contains("commit_message", commit.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task GitOperation_CheckoutWithoutBranch_FailsWithInvalidParameters()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            CreateAndInit,
            GitStep("checkout", """
                    operation: checkout
                """)));

        var result = await host.RunSucceededAsync();

        var checkout = DaytonaHost.Output(result, "checkout");
        Assert.Equal(false, checkout["success"]);
        Assert.Equal("invalid_parameters", checkout["error_type"]);
        Assert.Contains("branch", checkout.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task GitOperation_UnknownOperation_FailsListingValidOperations()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            CreateAndInit,
            GitStep("rebase", """
                    operation: rebase
                """)));

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "rebase");
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_parameters", output["error_type"]);
        Assert.Contains("clone, pull, push, status, commit, checkout", output.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task GitOperation_CloneLocalRepository_OnlyBeneathGitRoots()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            """
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            """,
            GitStep("inside", """
                    operation: clone
                    repository_url: "{LOCAL_ROOT}/repo"
                    working_directory: inside
                """),
            GitStep("outside", """
                    operation: clone
                    repository_url: "file://{LOCAL_ROOT}/../elsewhere/repo"
                    working_directory: outside
                """),
            GitStep("linked", """
                    operation: clone
                    repository_url: "{LOCAL_ROOT}/link/repo"
                    working_directory: linked
                """),
            GitStep("proc", """
                    operation: clone
                    repository_url: /proc
                    working_directory: proc
                """),
            GitStep("helper", """
                    operation: clone
                    repository_url: "fd::0"
                    working_directory: helper
                """)),
            """
            config:
              git_roots: ["{LOCAL_ROOT}"]
            """);
        await CreateRepositoryAsync(Path.Combine(host.LocalRoot, "repo"));
        await CreateRepositoryAsync(Path.Combine(host.Root, "elsewhere", "repo"));
        Directory.CreateSymbolicLink(Path.Combine(host.LocalRoot, "link"), Path.Combine(host.Root, "elsewhere"));

        var result = await host.RunSucceededAsync();

        var inside = DaytonaHost.Output(result, "inside");
        Assert.True(inside["success"] is true, inside.GetValueOrDefault("error") as string);
        foreach (var (step, text) in new[] { ("outside", "config.git_roots"), ("linked", "really " + Path.Combine(host.Root, "elsewhere", "repo")), ("proc", "no sandbox may reach"), ("helper", "remote helper") })
        {
            var refused = DaytonaHost.Output(result, step);
            Assert.Equal(false, refused["success"]);
            Assert.Equal("invalid_argument", refused["error_type"]);
            Assert.Contains(text, refused.GetValueOrDefault("error") as string);
        }

        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task GitOperation_CloneWithoutGitRoots_AllowsOnlyTheCurrentDirectory()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            """
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            """,
            GitStep("clone", """
                    operation: clone
                    repository_url: "{LOCAL_ROOT}/repo"
                """)));
        await CreateRepositoryAsync(Path.Combine(host.LocalRoot, "repo"));

        var result = await host.RunSucceededAsync();

        var clone = DaytonaHost.Output(result, "clone");
        Assert.Equal(false, clone["success"]);
        Assert.Equal("invalid_argument", clone["error_type"]);
        Assert.Contains("is outside " + Directory.GetCurrentDirectory(), clone.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    /// <summary>A host repository with one commit, readable by the sandbox uid.</summary>
    private static async Task CreateRepositoryAsync(string path)
    {
        Directory.CreateDirectory(path);
        await File.WriteAllTextAsync(Path.Combine(path, "README.md"), "hello\n");
        string[][] steps = [["init", "--quiet"], ["add", "README.md"], ["commit", "--quiet", "-m", "initial"]];
        foreach (var args in steps)
        {
            var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/git") { RedirectStandardError = true, WorkingDirectory = path };
            string[] all = ["-c", "user.name=Host", "-c", "user.email=host@example.com", "-c", "init.defaultBranch=main", .. args];
            foreach (var arg in all)
            {
                info.ArgumentList.Add(arg);
            }

            using var git = System.Diagnostics.Process.Start(info)!;
            var error = await git.StandardError.ReadToEndAsync();
            await git.WaitForExitAsync();
            Assert.True(git.ExitCode == 0, error);
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(path)!, "*", SearchOption.AllDirectories).Append(Path.GetDirectoryName(path)!).Append(path))
        {
            File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.OtherRead | (Directory.Exists(entry) ? UnixFileMode.OtherExecute : 0));
        }
    }
}
