using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class ListSandboxesHandlerTests
{
    [Fact]
    public async Task ListSandboxes_TwoCreated_ListsBothWithFields()
    {
        await using var host = DaytonaHost.Create("""
            - id: first
              tool: daytona_environment
              method: create_sandbox
              params: { name: list-one, language: python }
            - id: second
              tool: daytona_environment
              method: create_sandbox
              params: { name: list-two, language: javascript }
            - id: list
              tool: daytona_environment
              method: list_sandboxes
              params: {}
            """);

        var result = await host.RunSucceededAsync();

        var list = DaytonaHost.Output(result, "list");
        Assert.Equal(true, list["success"]);
        Assert.Equal(2L, list["count"]);
        var sandboxes = Assert.IsType<List<object?>>(list["sandboxes"]).Cast<Dictionary<string, object?>>().ToList();
        var one = Assert.Single(sandboxes, s => (string?)s["name"] == "list-one");
        Assert.Equal(DaytonaHost.Output(result, "first")["sandbox_id"], one["sandbox_id"]);
        Assert.Equal("python", one["language"]);
        Assert.Equal("started", one["status"]);
        Assert.False(string.IsNullOrEmpty(one["created_at"] as string));
        Assert.True(one.ContainsKey("preview_url"));
        Assert.Equal("javascript", Assert.Single(sandboxes, s => (string?)s["name"] == "list-two")["language"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ListSandboxes_NoneExist_ReturnsEmptyListAndZeroCount()
    {
        await using var host = DaytonaHost.Create("""
            - id: list
              tool: daytona_environment
              method: list_sandboxes
            """);

        var result = await host.RunSucceededAsync();

        var list = DaytonaHost.Output(result, "list");
        Assert.Equal(true, list["success"]);
        Assert.Equal(0L, list["count"]);
        Assert.Empty(Assert.IsType<List<object?>>(list["sandboxes"]));
        await host.AssertNoSandboxesLeftAsync();
    }
}
