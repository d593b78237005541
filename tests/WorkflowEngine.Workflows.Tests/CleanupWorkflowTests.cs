using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public class CleanupWorkflowTests
{
    /// <summary>The sandbox backend the workflows run on; subclasses run the same tests over Daytona's API.</summary>
    protected virtual string Backend => "local";

    private const string Workflow = "cleanup_workflow";

    [Fact]
    public async Task Run_CleanUpOldTestingEnvironments_DeletesNonPersistentKeepsPersistent()
    {
        await using var host = WorkflowHost.Create(backend: Backend);
        var keep = new Dictionary<string, object?> { ["keep"] = true };
        var one = await CreateAsync(host, "Create a Python sandbox named test-one", keep);
        var two = await CreateAsync(host, "Create a Python sandbox named test-two", keep);
        var kept = await CreateAsync(host, "Create a persistent Python sandbox named keeper", null);
        Assert.Equal(3, (await host.SandboxesAsync()).Count);

        var result = await host.RunSucceededAsync(Workflow, "Clean up old testing environments");

        Assert.Equal(["list_current_sandboxes", "identify_cleanup_targets", "perform_cleanup", "format_cleanup_response"], WorkflowHost.StepIds(result));
        var deletes = result.ToolCalls.Where(c => c.Method == "delete_sandbox").ToList();
        Assert.Equal(new[] { one, two }.Order(), deletes.Select(c => (string)c.Params["sandbox_id"]!).Order());
        Assert.All(deletes, d => Assert.Equal(true, d.Result["success"]));

        var output = WorkflowHost.OutputText(result);
        Assert.Contains(one, output, StringComparison.Ordinal);
        Assert.Contains(two, output, StringComparison.Ordinal);
        Assert.Contains($"✅ Deleted sandbox {one}.", output, StringComparison.Ordinal);
        Assert.Contains($"✅ Deleted sandbox {two}.", output, StringComparison.Ordinal);
        Assert.DoesNotContain(kept, output, StringComparison.Ordinal);

        var left = Assert.Single(await host.SandboxesAsync());
        Assert.Equal((kept, "keeper", true), (left.Id, left.Name, left.Persistent));
        await host.DeleteAsync(kept);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_DeleteTheSandboxNamed_DeletesOnlyThatOne()
    {
        await using var host = WorkflowHost.Create(backend: Backend);
        var keep = new Dictionary<string, object?> { ["keep"] = true };
        var one = await CreateAsync(host, "Create a Python sandbox named scratch-one", keep);
        var two = await CreateAsync(host, "Create a Python sandbox named scratch-two", keep);

        var result = await host.RunSucceededAsync(Workflow, "Delete the sandbox named scratch-one");

        var delete = Assert.Single(result.ToolCalls, c => c.Method == "delete_sandbox");
        Assert.Equal(one, delete.Params["sandbox_id"]);
        Assert.Equal([two], (await host.SandboxesAsync()).Select(s => s.Id));
        await host.DeleteAsync(two);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Run_NothingToCleanUp_Succeeds()
    {
        await using var host = WorkflowHost.Create(backend: Backend);

        var result = await host.RunSucceededAsync(Workflow, "Clean up old testing environments");

        Assert.DoesNotContain(result.ToolCalls, c => c.Method == "delete_sandbox");
        await host.AssertNoSandboxesLeftAsync();
    }

    private static async Task<string> CreateAsync(WorkflowHost host, string request, Dictionary<string, object?>? inputs)
    {
        var created = await host.RunSucceededAsync("use_daytona_environment_tool", request, inputs);
        return (string)WorkflowHost.Call(created, "create_sandbox").Result["sandbox_id"]!;
    }
}
