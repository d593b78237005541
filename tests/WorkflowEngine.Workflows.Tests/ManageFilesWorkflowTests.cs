using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public class ManageFilesWorkflowTests
{
    /// <summary>The sandbox backend the workflows run on; subclasses run the same tests over Daytona's API.</summary>
    protected virtual string Backend => "local";

    private const string Workflow = "manage_files_workflow";

    [Fact]
    public async Task Run_WriteThenReadInMyEnvironment_ReadsWhatWasWritten()
    {
        await using var host = WorkflowHost.Create(backend: Backend);
        var session = new Dictionary<string, object?> { ["session"] = "files-test" };
        var created = await host.RunSucceededAsync("use_daytona_environment_tool", "Create a Python sandbox named notes-box", session);
        var id = (string)WorkflowHost.Call(created, "create_sandbox").Result["sandbox_id"]!;

        var written = await host.RunSucceededAsync(Workflow, "Write 'hello file' to notes.txt in my environment", session);

        Assert.Equal(["extract_file_operation", "perform_file_operation", "format_response"], WorkflowHost.StepIds(written));
        var write = WorkflowHost.Call(written, "file_operation", "write");
        Assert.Equal(("notes.txt", "hello file"), (write.Params["file_path"], write.Params["content"]));
        Assert.Equal(id, write.Result["sandbox_id"]);
        Assert.Contains("notes.txt", WorkflowHost.OutputText(written), StringComparison.Ordinal);

        var read = await host.RunSucceededAsync(Workflow, "Read notes.txt in my environment", session);

        var call = WorkflowHost.Call(read, "file_operation", "read");
        Assert.Equal(id, call.Result["sandbox_id"]);
        Assert.Equal("hello file", call.Result["content"]);
        Assert.Contains("hello file", WorkflowHost.OutputText(read), StringComparison.Ordinal);

        // The session's sandbox outlives the runs; the test deletes it.
        Assert.Equal([id], (await host.SandboxesAsync()).Select(s => s.Id));
        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_ReadMissingFile_RoutesToHandleError()
    {
        await using var host = WorkflowHost.Create(backend: Backend);
        var session = new Dictionary<string, object?> { ["session"] = "files-missing" };
        var created = await host.RunSucceededAsync("use_daytona_environment_tool", "Create a Python sandbox", session);
        var id = (string)WorkflowHost.Call(created, "create_sandbox").Result["sandbox_id"]!;

        var result = await host.RunSucceededAsync(Workflow, "Read missing.txt in my environment", session);

        Assert.Equal("handle_error", WorkflowHost.StepIds(result)[^1]);
        Assert.Equal("not_found", WorkflowHost.Call(result, "file_operation", "read").Result["error_type"]);
        Assert.Contains("missing.txt", WorkflowHost.OutputText(result), StringComparison.Ordinal);

        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }
}
