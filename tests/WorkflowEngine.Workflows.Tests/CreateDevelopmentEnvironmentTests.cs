using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public class CreateDevelopmentEnvironmentTests
{
    /// <summary>The sandbox backend the workflows run on; subclasses run the same tests over Daytona's API.</summary>
    protected virtual string Backend => "local";

    private const string Workflow = "create_development_environment";

    [Fact]
    public async Task Run_JavaScriptSandboxNamedWebapp_CreatesItAndDeletesItAtRunEnd()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Create a JavaScript sandbox named webapp");

        Assert.Equal(["optimize_environment", "extract_sandbox_config", "create_sandbox", "suggest_workflow", "format_creation_response"], WorkflowHost.StepIds(result));
        var call = WorkflowHost.Call(result, "create_sandbox");
        Assert.Equal("javascript", call.Params["language"]);
        Assert.Equal("webapp", call.Params["name"]);
        Assert.Equal(true, call.Result["success"]);
        Assert.Equal("javascript", call.Result["language"]);
        Assert.Equal(false, call.Result["kept"]);
        var id = Assert.IsType<string>(call.Result["sandbox_id"]);

        var output = WorkflowHost.OutputText(result);
        Assert.Contains("webapp", output, StringComparison.Ordinal);
        Assert.Contains(id, output, StringComparison.Ordinal);
        Assert.Contains("javascript", output, StringComparison.Ordinal);

        // Not persistent: deleted when the run ended.
        Assert.False(await host.ExistsAsync(id));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_PersistentPythonSandbox_KeepsIt()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Create a persistent Python sandbox named ml-lab");

        var call = WorkflowHost.Call(result, "create_sandbox");
        Assert.Equal("python", call.Params["language"]);
        Assert.Equal(true, call.Params["persistent"]);
        var id = Assert.IsType<string>(call.Result["sandbox_id"]);
        var sandbox = Assert.Single(await host.SandboxesAsync());
        Assert.Equal((id, "ml-lab", "python", true), (sandbox.Id, sandbox.Name, sandbox.Language, sandbox.Persistent));

        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }
}
