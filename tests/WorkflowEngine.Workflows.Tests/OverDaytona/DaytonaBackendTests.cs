using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests.OverDaytona;

public sealed class DaytonaBackendTests
{
    [Theory]
    [InlineData("local")]
    [InlineData("daytona")]
    public async Task Run_Backend_CreatesThroughThatProviderAndTheSandboxLivesInTheLocalOne(string backend)
    {
        await using var host = WorkflowHost.Create(backend: backend);

        var result = await host.RunSucceededAsync("create_development_environment", "Create a persistent Python sandbox named probe");

        var created = WorkflowHost.Call(result, "create_sandbox").Result;
        // The REST provider reports isolation "daytona"; the local one its bubblewrap level.
        if (backend == "daytona")
        {
            Assert.Equal("daytona", created["isolation"]);
        }
        else
        {
            Assert.NotEqual("daytona", created["isolation"]);
        }

        var id = Assert.IsType<string>(created["sandbox_id"]);
        var behind = await host.Provider.GetAsync(id);
        Assert.True(behind.Succeeded, "the sandbox should exist in the local provider behind the server");
        Assert.Equal("probe", behind.Value.Name);
        await host.DeleteAsync(id);
    }
}
