using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public class UseDaytonaEnvironmentToolTests
{
    /// <summary>The sandbox backend the workflows run on; subclasses run the same tests over Daytona's API.</summary>
    protected virtual string Backend => "local";

    private const string Workflow = "use_daytona_environment_tool";

    private static readonly Dictionary<string, object?> Keep = new() { ["keep"] = true };

    [Fact]
    public async Task Run_CreateRequest_CreatesTheNamedSandbox()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Create a Python sandbox named alpha", Keep);

        Assert.Equal(["normalize_input", "classify_action", "build_parameters", "execute_operation", "execute_follow_up", "format_response"], WorkflowHost.StepIds(result));
        var call = WorkflowHost.Call(result, "create_sandbox");
        Assert.Equal("python", call.Params["language"]);
        Assert.Equal("alpha", call.Params["name"]);
        var id = Assert.IsType<string>(call.Result["sandbox_id"]);
        Assert.Contains(id, WorkflowHost.OutputText(result), StringComparison.Ordinal);
        Assert.Contains("alpha", WorkflowHost.OutputText(result), StringComparison.Ordinal);

        var sandbox = Assert.Single(await host.SandboxesAsync());
        Assert.Equal((id, "alpha", "python"), (sandbox.Id, sandbox.Name, sandbox.Language));
        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_PythonCodeInSandboxByName_RunsInThatSandbox()
    {
        await using var host = WorkflowHost.Create(backend: Backend);
        var created = await host.RunSucceededAsync(Workflow, "Create a Python sandbox named alpha", Keep);
        var id = (string)WorkflowHost.Call(created, "create_sandbox").Result["sandbox_id"]!;

        var result = await host.RunSucceededAsync(Workflow, "Run `print(\"hi from alpha\")` in the sandbox named alpha");

        var call = WorkflowHost.Call(result, "execute_code");
        Assert.Equal("alpha", call.Params["sandbox_id"]);
        Assert.Equal(id, call.Result["sandbox_id"]);
        Assert.Equal("hi from alpha\n", call.Result["stdout"]);
        Assert.Equal("hi from alpha\n", WorkflowHost.Output(result, "execute_operation")["stdout"]);
        Assert.Contains("hi from alpha", WorkflowHost.OutputText(result), StringComparison.Ordinal);

        // The named sandbox was used, not an ephemeral one; it is still there (kept by the first run).
        Assert.Equal([id], (await host.SandboxesAsync()).Select(s => s.Id));
        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_MissingSandbox_RoutesToHandleErrorWithNotFoundAdvice()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Run `ls` in sandbox-deadbeef0000");

        var steps = WorkflowHost.StepIds(result);
        Assert.Equal("handle_error", steps[^1]);
        Assert.DoesNotContain("format_response", steps);
        Assert.DoesNotContain("execute_follow_up", steps);
        var call = WorkflowHost.Call(result, "execute_shell");
        Assert.Equal("sandbox-deadbeef0000", call.Params["sandbox_id"]);
        Assert.Equal("not_found", call.Result["error_type"]);

        var output = WorkflowHost.OutputText(result);
        Assert.Contains("couldn't find that sandbox", output, StringComparison.Ordinal);
        Assert.Contains("not_found", output, StringComparison.Ordinal);
        Assert.Contains("list sandboxes", output, StringComparison.Ordinal);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_DeniedMethod_ReturnsPermissionAdviceAndKeepsTheSandbox()
    {
        await using var host = WorkflowHost.Create(WorkflowHost.ToolsYamlDenying("delete_sandbox"), backend: Backend);
        var created = await host.RunSucceededAsync(Workflow, "Create a Python sandbox named victim", Keep);
        var id = (string)WorkflowHost.Call(created, "create_sandbox").Result["sandbox_id"]!;

        var result = await host.RunSucceededAsync(Workflow, $"Delete sandbox {id}");

        Assert.Equal("handle_error", WorkflowHost.StepIds(result)[^1]);
        var call = WorkflowHost.Call(result, "delete_sandbox");
        Assert.Equal(id, call.Params["sandbox_id"]);
        Assert.Equal(false, call.Result["success"]);
        Assert.Equal("permission_denied", call.Result["error_type"]);
        var output = WorkflowHost.OutputText(result);
        Assert.Contains("permission_denied", output, StringComparison.Ordinal);
        Assert.Contains("denied_methods", output, StringComparison.Ordinal);
        Assert.Contains("tools.yaml", output, StringComparison.Ordinal);
        Assert.Contains("configuration does not allow this call", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Work under /workspace", output, StringComparison.Ordinal);

        Assert.True(await host.ExistsAsync(id), "The denied delete removed the sandbox.");
        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_MissingRequiredParameter_RoutesToRequestClarification()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Clone a repository");

        var steps = WorkflowHost.StepIds(result);
        Assert.Equal("request_clarification", steps[^1]);
        Assert.DoesNotContain("handle_error", steps);
        var call = WorkflowHost.Call(result, "git_operation", "clone");
        Assert.Equal("invalid_parameters", call.Result["error_type"]);
        Assert.Contains("repository_url", WorkflowHost.OutputText(result), StringComparison.Ordinal);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_DeleteWithoutSandbox_RoutesToRequestClarification()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Delete a sandbox");

        Assert.Equal("request_clarification", WorkflowHost.StepIds(result)[^1]);
        Assert.Equal("invalid_parameters", WorkflowHost.Call(result, "delete_sandbox").Result["error_type"]);
        Assert.Contains("sandbox_id", WorkflowHost.OutputText(result), StringComparison.Ordinal);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_CommitAndPushDryRun_PlansCommitThenPush()
    {
        await using var host = WorkflowHost.Create(options: o => o.DryRun = true, backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Commit and push the changes");

        Assert.Equal(["normalize_input", "classify_action", "build_parameters", "execute_operation", "execute_follow_up", "format_response"], WorkflowHost.StepIds(result));
        Assert.Equal(2, result.ToolCalls.Count);
        Assert.All(result.ToolCalls, c => Assert.Equal(("daytona_environment", "git_operation"), (c.Tool, c.Method)));
        Assert.Equal(["commit", "push"], result.ToolCalls.Select(c => c.Params["operation"] as string));
        Assert.All(result.ToolCalls, c => Assert.Equal(true, c.Result["dry_run"]));
        var followUp = Assert.IsType<List<object?>>(result.Steps.Single(s => s.Id == "execute_follow_up").Output);
        var push = Assert.IsType<Dictionary<string, object?>>(Assert.Single(followUp));
        Assert.Equal("push", push["operation"]);
        await host.AssertNoSandboxesLeftAsync();
    }
}
