using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public class FullDevelopmentCycleTests
{
    /// <summary>The sandbox backend the workflows run on; subclasses run the same tests over Daytona's API.</summary>
    protected virtual string Backend => "local";

    private const string Workflow = "full_development_cycle";

    [Fact]
    public async Task Run_PythonWriteRunCommit_PrintsHelloCommitsAndDeletesTheSandbox()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow,
            "Create a Python sandbox named demo, write app.py that prints hello, run it, and commit it with message 'first version'");

        var output = WorkflowHost.OutputText(result);
        var run = WorkflowHost.Output(result, "run_code");
        Assert.Equal(0L, run["exit_code"]);
        Assert.Equal("hello", (run["stdout"] as string)?.Trim());
        // The program's real output, not the request's words.
        Assert.Contains("Output:\nhello\n", output, StringComparison.Ordinal);

        var commit = WorkflowHost.Output(result, "commit_changes");
        Assert.Equal(true, commit["success"]);
        var commitId = Assert.IsType<string>(commit["commit_id"]);
        Assert.Matches(WorkflowHost.CommitId(), commitId);
        Assert.Equal(commitId, WorkflowHost.CommitId().Match(output).Value);
        Assert.Contains("first version", output, StringComparison.Ordinal);

        var create = WorkflowHost.Call(result, "create_sandbox");
        Assert.Equal("python", create.Params["language"]);
        Assert.Equal("demo", create.Params["name"]);
        var write = WorkflowHost.Call(result, "file_operation", "write");
        Assert.Equal("app.py", write.Params["file_path"]);
        Assert.Equal(true, write.Result["success"]);
        Assert.Equal(true, WorkflowHost.Call(result, "execute_shell").Result["success"]);
        Assert.Equal("first version", WorkflowHost.Call(result, "git_operation", "commit").Params["commit_message"]);
        Assert.Contains("deleted at the end of this run", output, StringComparison.Ordinal);

        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_KeepIt_LeavesAPersistentSandbox()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow,
            "Create a Python sandbox named demo, write app.py that prints hello, run it, and commit it with message 'first version' and keep it");

        var created = WorkflowHost.Output(result, "create_sandbox");
        var id = Assert.IsType<string>(created["sandbox_id"]);
        Assert.Equal(true, created["kept"]);
        Assert.Contains("Output:\nhello\n", WorkflowHost.OutputText(result), StringComparison.Ordinal);
        Assert.Contains(id, WorkflowHost.OutputText(result), StringComparison.Ordinal);

        var left = Assert.Single(await host.SandboxesAsync());
        Assert.Equal(id, left.Id);
        Assert.Equal("demo", left.Name);
        Assert.True(left.Persistent);

        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_JavaScriptWriteRunCommit_PrintsHi()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow,
            "Create a JavaScript sandbox, write index.js that prints hi, run it and commit it with message 'js'");

        Assert.Equal("javascript", WorkflowHost.Call(result, "create_sandbox").Params["language"]);
        Assert.Equal("index.js", WorkflowHost.Call(result, "file_operation", "write").Params["file_path"]);
        var run = WorkflowHost.Output(result, "run_code");
        Assert.Equal(0L, run["exit_code"]);
        Assert.Equal("hi", (run["stdout"] as string)?.Trim());
        Assert.Contains("Output:\nhi\n", WorkflowHost.OutputText(result), StringComparison.Ordinal);

        var commit = WorkflowHost.Output(result, "commit_changes");
        Assert.Equal(true, commit["success"]);
        Assert.Contains((string)commit["commit_id"]!, WorkflowHost.OutputText(result), StringComparison.Ordinal);
        Assert.Equal("js", WorkflowHost.Call(result, "git_operation", "commit").Params["commit_message"]);

        await host.AssertNoSandboxesLeftAsync();
    }
}
