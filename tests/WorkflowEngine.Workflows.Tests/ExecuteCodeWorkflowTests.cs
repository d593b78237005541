using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public class ExecuteCodeWorkflowTests
{
    /// <summary>The sandbox backend the workflows run on; subclasses run the same tests over Daytona's API.</summary>
    protected virtual string Backend => "local";

    private const string Workflow = "execute_code_workflow";

    [Fact]
    public async Task Run_PythonCodeInBackticks_RunsInAnEphemeralSandbox()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Run this python code: `print(\"hello from code\")`");

        Assert.Equal(["extract_execution_details", "run_code", "format_response"], WorkflowHost.StepIds(result));
        var call = WorkflowHost.Call(result, "execute_code");
        Assert.Equal("print(\"hello from code\")", call.Params["code"]);
        Assert.Equal("python", call.Params["language"]);
        Assert.Equal("hello from code\n", call.Result["stdout"]);
        Assert.Contains("hello from code", WorkflowHost.OutputText(result), StringComparison.Ordinal);

        // The sandbox was made for this run only.
        Assert.False(await host.ExistsAsync((string)call.Result["sandbox_id"]!));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_ShellCommand_GoesToExecuteShellAndPrints42()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Run `echo $((6*7))`");

        var call = WorkflowHost.Call(result, "execute_shell");
        Assert.DoesNotContain(result.ToolCalls, c => c.Method == "execute_code");
        Assert.Equal("echo $((6*7))", call.Params["command"]);
        Assert.Equal("42\n", call.Result["stdout"]);
        Assert.Contains("42", WorkflowHost.OutputText(result), StringComparison.Ordinal);
        Assert.Contains("Command executed", WorkflowHost.OutputText(result), StringComparison.Ordinal);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_FailingCode_RoutesToHandleError()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Run this python code: `raise SystemExit(3)`");

        Assert.Equal("handle_error", WorkflowHost.StepIds(result)[^1]);
        var call = WorkflowHost.Call(result, "execute_code");
        Assert.Equal(3L, call.Result["exit_code"]);
        Assert.Contains("exited with 3", WorkflowHost.OutputText(result), StringComparison.Ordinal);
        await host.AssertNoSandboxesLeftAsync();
    }
}
