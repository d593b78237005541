using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool;

public class SandboxProviderSelectorTests
{
    [Theory]
    [InlineData("daytona", "unavailable")]
    [InlineData("docker", "invalid_argument")]
    public async Task Select_BackendConfig_FailsWhenNotAvailable(string backend, string errorType)
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            - id: list
              tool: daytona_environment
              method: list_sandboxes
            """, $"""
            config:
              backend: {backend}
            """);

        var result = await host.RunSucceededAsync();

        var create = DaytonaHost.Output(result, "create");
        Assert.Equal(false, create["success"]);
        Assert.Equal(errorType, create["error_type"]);
        Assert.Null(create["sandbox_id"]);
        Assert.Equal(errorType, DaytonaHost.Output(result, "list")["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Select_BackendRunInputLocal_WinsOverConfig()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            """, """
            config:
              backend: daytona
            """);

        var result = await host.RunSucceededAsync(new Dictionary<string, object?> { ["backend"] = "local" });

        var create = DaytonaHost.Output(result, "create");
        Assert.True(create["success"] is true, create.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }
}
