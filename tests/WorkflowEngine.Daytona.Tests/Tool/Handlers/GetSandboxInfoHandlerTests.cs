using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class GetSandboxInfoHandlerTests
{
    [Fact]
    public async Task GetSandboxInfo_ExistingSandbox_DescribesItWithoutEnvironmentValues()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                name: info-box
                language: python
                environment_vars:
                  API_TOKEN: "super-secret-value"
            - id: info
              tool: daytona_environment
              method: get_sandbox_info
              params:
                sandbox_id: info-box
            """);

        var result = await host.RunSucceededAsync();

        var info = DaytonaHost.Output(result, "info");
        Assert.True(info["success"] is true, info.GetValueOrDefault("error") as string);
        Assert.Equal(DaytonaHost.Output(result, "create")["sandbox_id"], info["sandbox_id"]);
        Assert.Equal("info-box", info["name"]);
        Assert.Equal("python", info["language"]);
        Assert.Equal("started", info["status"]);
        Assert.False(string.IsNullOrEmpty(info["created_at"] as string));
        Assert.False(string.IsNullOrEmpty(info["last_accessed"] as string));
        var environment = Assert.IsType<Dictionary<string, object?>>(info["environment_vars"]);
        Assert.Equal("***", environment["API_TOKEN"]);
        Assert.DoesNotContain("super-secret-value", System.Text.Json.JsonSerializer.Serialize(info));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task GetSandboxInfo_UnknownSandbox_FailsWithNotFound()
    {
        await using var host = DaytonaHost.Create("""
            - id: info
              tool: daytona_environment
              method: get_sandbox_info
              params:
                sandbox_id: no-such-sandbox
            """);

        var result = await host.RunSucceededAsync();

        var info = DaytonaHost.Output(result, "info");
        Assert.Equal(false, info["success"]);
        Assert.Equal("not_found", info["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }
}
