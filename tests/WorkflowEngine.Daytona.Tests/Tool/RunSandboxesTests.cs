using WorkflowEngine.Daytona.Tests.Support;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Daytona.Tests.Tool;

public class RunSandboxesTests
{
    private const string CreateAndUse = """
        - id: create
          tool: daytona_environment
          method: create_sandbox
          params: { name: lifecycle }
        - id: use
          tool: daytona_environment
          method: execute_shell
          params:
            sandbox_id: ${steps.create.output.sandbox_id}
            command: echo alive
        """;

    [Fact]
    public async Task RunEnded_EphemeralSandbox_IsDeleted()
    {
        await using var host = DaytonaHost.Create(CreateAndUse);

        var result = await host.RunSucceededAsync();

        var created = DaytonaHost.Output(result, "create");
        Assert.Equal(false, created["kept"]);
        Assert.Equal(false, created["persistent"]);
        Assert.Equal("alive\n", DaytonaHost.Output(result, "use")["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
        Assert.False(Directory.Exists(Path.Combine(host.SandboxData, "sandboxes", (string)created["sandbox_id"]!)));
    }

    [Fact]
    public async Task RunEnded_RunFailsAfterCreate_EphemeralSandboxIsDeleted()
    {
        await using var host = DaytonaHost.Create(CreateAndUse + """

            - id: broken
              tool: daytona_environment
              method: list_sandboxes
              params: ${steps.create.output.sandbox_id}
            """);

        var result = await host.RunAsync();

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("broken", result.Error);
        Assert.Equal(true, DaytonaHost.Output(result, "create")["success"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task RunEnded_PersistentSandbox_Survives()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: { name: keeper, persistent: true }
            """);

        var result = await host.RunSucceededAsync();

        var created = DaytonaHost.Output(result, "create");
        Assert.Equal(true, created["kept"]);
        Assert.Equal(true, created["persistent"]);
        var left = Assert.Single(await host.SandboxesAsync());
        Assert.Equal(created["sandbox_id"], left.Id);
        Assert.True(left.Persistent);
        await host.DeleteAsync(left.Id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task RunEnded_DefaultPersistentConfig_KeepsSandbox()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            """, """
            config:
              default_persistent: true
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal(true, DaytonaHost.Output(result, "create")["kept"]);
        var left = Assert.Single(await host.SandboxesAsync());
        await host.DeleteAsync(left.Id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task RunEnded_KeepInput_KeepsEphemeralSandbox()
    {
        await using var host = DaytonaHost.Create(CreateAndUse);

        var result = await host.RunSucceededAsync(new Dictionary<string, object?> { ["keep"] = true });

        var created = DaytonaHost.Output(result, "create");
        Assert.Equal(true, created["kept"]);
        var left = Assert.Single(await host.SandboxesAsync());
        Assert.Equal(created["sandbox_id"], left.Id);
        await host.DeleteAsync(left.Id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task RunEnded_KeepInputAsText_KeepsEphemeralSandbox()
    {
        await using var host = DaytonaHost.Create(CreateAndUse);

        var result = await host.RunSucceededAsync(new Dictionary<string, object?> { ["keep"] = "true" });

        var left = Assert.Single(await host.SandboxesAsync());
        Assert.Equal(DaytonaHost.Output(result, "create")["sandbox_id"], left.Id);
        await host.DeleteAsync(left.Id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task RunEnded_SandboxDeletedDuringRun_EndsCleanly()
    {
        await using var host = DaytonaHost.Create(CreateAndUse + """

            - id: delete
              tool: daytona_environment
              method: delete_sandbox
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal(true, DaytonaHost.Output(result, "delete")["success"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task RunEnded_TwoRunsInParallel_EachDeletesOnlyItsOwn()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            - id: wait
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: sleep 0.3
            """);

        var results = await Task.WhenAll(host.RunSucceededAsync(), host.RunSucceededAsync(new Dictionary<string, object?> { ["keep"] = true }));

        var kept = DaytonaHost.Output(results[1], "create")["sandbox_id"];
        var left = Assert.Single(await host.SandboxesAsync());
        Assert.Equal(kept, left.Id);
        await host.DeleteAsync(left.Id);
        await host.AssertNoSandboxesLeftAsync();
    }
}
