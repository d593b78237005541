using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool;

public class SandboxTargetsTests
{
    [Fact]
    public async Task Resolve_SandboxIdOmittedAfterCreate_UsesTheRunsSandbox()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: { name: mine }
            - id: write
              tool: daytona_environment
              method: file_operation
              params:
                operation: write
                file_path: state.txt
                content: "remembered"
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                code: "print(open('state.txt').read())"
            - id: vague
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: my environment
                command: cat state.txt
            - id: info
              tool: daytona_environment
              method: get_sandbox_info
            """);

        var result = await host.RunSucceededAsync();

        var id = DaytonaHost.Output(result, "create")["sandbox_id"];
        foreach (var step in new[] { "write", "run", "vague", "info" })
        {
            var output = DaytonaHost.Output(result, step);
            Assert.True(output["success"] is true, $"{step}: {output.GetValueOrDefault("error")}");
            Assert.Equal(id, output["sandbox_id"]);
        }

        Assert.Equal("remembered\n", DaytonaHost.Output(result, "run")["stdout"]);
        Assert.Equal("remembered", DaytonaHost.Output(result, "vague")["stdout"]);
        Assert.Single(result.ToolCalls, c => c.Method == "create_sandbox");
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Resolve_NoSandboxInRun_CreatesEphemeralOneAndReusesIt()
    {
        await using var host = DaytonaHost.Create("""
            - id: first
              tool: daytona_environment
              method: execute_shell
              params:
                command: echo one > /workspace/one.txt
            - id: second
              tool: daytona_environment
              method: execute_shell
              params:
                command: cat /workspace/one.txt
            """);

        var result = await host.RunSucceededAsync();

        var first = DaytonaHost.Output(result, "first");
        Assert.True(first["success"] is true, first.GetValueOrDefault("error") as string);
        var second = DaytonaHost.Output(result, "second");
        Assert.Equal(first["sandbox_id"], second["sandbox_id"]);
        Assert.Equal("one\n", second["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Resolve_InfoWithoutSandboxInRun_FailsWithoutCreating()
    {
        await using var host = DaytonaHost.Create("""
            - id: info
              tool: daytona_environment
              method: get_sandbox_info
            """);

        var result = await host.RunSucceededAsync();

        var info = DaytonaHost.Output(result, "info");
        Assert.Equal(false, info["success"]);
        Assert.Equal("invalid_argument", info["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task Resolve_AfterDeletingCurrentSandbox_DoesNotReuseTheDeletedOne()
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
            - id: run
              tool: daytona_environment
              method: execute_shell
              params:
                command: echo fresh
            """);

        var result = await host.RunSucceededAsync();

        var run = DaytonaHost.Output(result, "run");
        Assert.True(run["success"] is true, run.GetValueOrDefault("error") as string);
        Assert.NotEqual(DaytonaHost.Output(result, "create")["sandbox_id"], run["sandbox_id"]);
        await host.AssertNoSandboxesLeftAsync();
    }
}
