using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public class GitWorkflowTests
{
    /// <summary>The sandbox backend the workflows run on; subclasses run the same tests over Daytona's API.</summary>
    protected virtual string Backend => "local";

    private const string Workflow = "git_workflow";

    [Fact]
    public async Task Run_StatusAndLogOfMyProject_ReportTheRepository()
    {
        await using var host = WorkflowHost.Create(backend: Backend);
        var session = new Dictionary<string, object?> { ["session"] = "git-test" };
        var cycle = await host.RunSucceededAsync("full_development_cycle",
            "Create a Python sandbox named project, write app.py that prints hello, run it, and commit it with message 'first version'", session);
        var id = (string)WorkflowHost.Output(cycle, "create_sandbox")["sandbox_id"]!;
        var commitId = (string)WorkflowHost.Output(cycle, "commit_changes")["commit_id"]!;

        // Leave a change behind so that status has something to report.
        await host.RunSucceededAsync("manage_files_workflow", "Write 'draft' to notes.txt in my environment", session);

        var status = await host.RunSucceededAsync(Workflow, "Check the git status of my project", session);

        Assert.Equal(["extract_git_operation", "perform_git_operation", "format_response"], WorkflowHost.StepIds(status));
        var statusCall = WorkflowHost.Call(status, "git_operation", "status");
        Assert.Equal(true, statusCall.Result["success"]);
        Assert.Equal(id, statusCall.Result["sandbox_id"]);
        Assert.Equal("main", statusCall.Result["branch"]);
        var statusOutput = WorkflowHost.OutputText(status);
        Assert.StartsWith("✅ Git status completed", statusOutput, StringComparison.Ordinal);
        Assert.Contains("notes.txt", statusOutput, StringComparison.Ordinal);

        var log = await host.RunSucceededAsync(Workflow, "Show the git log of my project", session);

        var logCall = WorkflowHost.Call(log, "git_operation", "log");
        var commits = Assert.IsType<List<object?>>(logCall.Result["commits"]);
        var commit = Assert.IsType<Dictionary<string, object?>>(Assert.Single(commits));
        Assert.Equal(commitId, commit["hash"]);
        var logOutput = WorkflowHost.OutputText(log);
        Assert.Contains("first version", logOutput, StringComparison.Ordinal);
        Assert.Contains(commitId[..12], logOutput, StringComparison.Ordinal);

        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_StatusWithoutRepository_RoutesToHandleError()
    {
        await using var host = WorkflowHost.Create(backend: Backend);
        var session = new Dictionary<string, object?> { ["session"] = "git-empty" };
        var created = await host.RunSucceededAsync("use_daytona_environment_tool", "Create a Python sandbox", session);
        var id = (string)WorkflowHost.Call(created, "create_sandbox").Result["sandbox_id"]!;

        var result = await host.RunSucceededAsync(Workflow, "Check the git status of my project", session);

        Assert.Equal("handle_error", WorkflowHost.StepIds(result)[^1]);
        Assert.Equal(false, WorkflowHost.Call(result, "git_operation", "status").Result["success"]);
        Assert.Contains("not a git repository", WorkflowHost.OutputText(result), StringComparison.Ordinal);

        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }
}
