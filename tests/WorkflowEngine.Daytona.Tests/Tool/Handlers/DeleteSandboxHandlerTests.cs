using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class DeleteSandboxHandlerTests
{
    [Fact]
    public async Task DeleteSandbox_Existing_DeletesItAndInfoThenFailsWithNotFound()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: { persistent: true }
            - id: delete
              tool: daytona_environment
              method: delete_sandbox
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
            - id: info
              tool: daytona_environment
              method: get_sandbox_info
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
            - id: list
              tool: daytona_environment
              method: list_sandboxes
            """);

        var result = await host.RunSucceededAsync();

        var id = DaytonaHost.Output(result, "create")["sandbox_id"];
        var delete = DaytonaHost.Output(result, "delete");
        Assert.True(delete["success"] is true, delete.GetValueOrDefault("error") as string);
        Assert.Equal(id, delete["sandbox_id"]);
        var info = DaytonaHost.Output(result, "info");
        Assert.Equal(false, info["success"]);
        Assert.Equal("not_found", info["error_type"]);
        Assert.Equal(0L, DaytonaHost.Output(result, "list")["count"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task DeleteSandbox_ByName_DeletesIt()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: { name: doomed, persistent: true }
            - id: delete
              tool: daytona_environment
              method: delete_sandbox
              params: { sandbox_id: doomed }
            """);

        var result = await host.RunSucceededAsync();

        var delete = DaytonaHost.Output(result, "delete");
        Assert.True(delete["success"] is true, delete.GetValueOrDefault("error") as string);
        Assert.Equal(DaytonaHost.Output(result, "create")["sandbox_id"], delete["sandbox_id"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task DeleteSandbox_Unknown_FailsWithNotFound()
    {
        await using var host = DaytonaHost.Create("""
            - id: delete
              tool: daytona_environment
              method: delete_sandbox
              params: { sandbox_id: sandbox-ffffffffffff }
            """);

        var result = await host.RunSucceededAsync();

        var delete = DaytonaHost.Output(result, "delete");
        Assert.Equal(false, delete["success"]);
        Assert.Equal("not_found", delete["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }
}
