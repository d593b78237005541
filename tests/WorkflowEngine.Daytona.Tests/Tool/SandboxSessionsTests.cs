using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool;

public class SandboxSessionsTests
{
    private const string Steps = """
        - id: first
          tool: daytona_environment
          method: create_sandbox
          when: "${user_input} == 'create'"
        - id: run
          tool: daytona_environment
          method: execute_code
          params:
            code: "import os; print(os.getcwd())"
        """;

    [Fact]
    public async Task Session_SecondRunWithoutSandboxId_UsesTheSessionsSandbox()
    {
        await using var host = DaytonaHost.Create(Steps);
        var session = "s-" + Guid.NewGuid().ToString("N")[..8];

        var first = await host.RunSucceededAsync(new Dictionary<string, object?> { ["user_input"] = "create", ["session"] = session });
        var second = await host.RunSucceededAsync(new Dictionary<string, object?> { ["user_input"] = "reuse", ["session"] = session });

        var created = DaytonaHost.Output(first, "first");
        Assert.True(created["success"] is true, created.GetValueOrDefault("error") as string);
        Assert.Equal(true, created["kept"]);
        var id = Assert.IsType<string>(created["sandbox_id"]);
        Assert.Equal(id, DaytonaHost.Output(first, "run")["sandbox_id"]);
        var run = DaytonaHost.Output(second, "run");
        Assert.True(run["success"] is true, run.GetValueOrDefault("error") as string);
        Assert.Equal(id, run["sandbox_id"]);
        Assert.Equal(id, File.ReadAllText(Path.Combine(host.SessionData, "sessions", session)).Trim());
        Assert.Equal(id, Assert.Single(await host.SandboxesAsync()).Id);
        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Session_FirstRunWithoutCreate_CreatesAndKeepsASandbox()
    {
        await using var host = DaytonaHost.Create(Steps);
        var session = "s-" + Guid.NewGuid().ToString("N")[..8];

        var first = await host.RunSucceededAsync(new Dictionary<string, object?> { ["user_input"] = "reuse", ["session"] = session });
        var second = await host.RunSucceededAsync(new Dictionary<string, object?> { ["user_input"] = "reuse", ["session"] = session });

        var id = Assert.IsType<string>(DaytonaHost.Output(first, "run")["sandbox_id"]);
        Assert.Equal(id, DaytonaHost.Output(second, "run")["sandbox_id"]);
        Assert.Equal(id, Assert.Single(await host.SandboxesAsync()).Id);
        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Session_SandboxDeletedByTool_IsForgotten()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            - id: delete
              tool: daytona_environment
              method: delete_sandbox
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
            """);
        var session = "s-" + Guid.NewGuid().ToString("N")[..8];

        var result = await host.RunSucceededAsync(new Dictionary<string, object?> { ["session"] = session });

        Assert.Equal(true, DaytonaHost.Output(result, "delete")["success"]);
        Assert.False(File.Exists(Path.Combine(host.SessionData, "sessions", session)));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void IsValidName_BadNames_AreRejected(string name) => Assert.False(WorkflowEngine.Daytona.Tool.SandboxSessions.IsValidName(name));

    [Fact]
    public async Task Session_InvalidName_IsIgnoredAndSandboxIsEphemeral()
    {
        await using var host = DaytonaHost.Create(Steps);

        var result = await host.RunSucceededAsync(new Dictionary<string, object?> { ["user_input"] = "create", ["session"] = "../../etc" });

        Assert.Equal(false, DaytonaHost.Output(result, "first")["kept"]);
        Assert.False(Directory.Exists(Path.Combine(host.SessionData, "sessions")) && Directory.EnumerateFileSystemEntries(Path.Combine(host.SessionData, "sessions")).Any());
        await host.AssertNoSandboxesLeftAsync();
    }
}
