using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class ExecuteShellHandlerTests
{
    [Fact]
    public async Task ExecuteShell_ArithmeticAndPwdInWorkingDirectory_RunsInThatDirectory()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            - id: mkdir
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: mkdir -p app/src
            - id: shell
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: echo $((6*7)) && pwd
                working_directory: app/src
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal(true, DaytonaHost.Output(result, "mkdir")["success"]);
        var output = DaytonaHost.Output(result, "shell");
        Assert.True(output["success"] is true, output.GetValueOrDefault("error") as string);
        Assert.Equal("42\n/workspace/app/src\n", output["stdout"]);
        Assert.Equal(0L, output["exit_code"]);
        Assert.True(Assert.IsType<double>(output["execution_time"]) > 0);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteShell_QuotesAndCommandSubstitution_RunInsideSandboxOnly()
    {
        var marker = "/tmp/host-marker-" + Guid.NewGuid().ToString("N");
        await using var host = DaytonaHost.Create($$"""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            - id: shell
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: 'touch {{marker}} && echo "made $(ls {{marker}}) as ''$(id -u)''" && echo "$HOME" > /dev/null'
            """);

        try
        {
            var result = await host.RunSucceededAsync();

            var output = DaytonaHost.Output(result, "shell");
            Assert.True(output["success"] is true, output.GetValueOrDefault("error") as string);
            Assert.StartsWith($"made {marker} as '", output["stdout"] as string);
            Assert.DoesNotContain("as '0'", output["stdout"] as string);
            Assert.False(File.Exists(marker), "The command touched the host's /tmp.");
            await host.AssertNoSandboxesLeftAsync();
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task ExecuteShell_HostFilesystem_IsNotVisible()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            - id: shell
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: test -e /root || test -e /etc/shadow && echo visible || echo hidden
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "shell");
        Assert.True(output["success"] is true, output.GetValueOrDefault("error") as string);
        Assert.Equal("hidden\n", output["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteShell_FailingCommand_FailsWithNonzeroExit()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            - id: shell
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: echo out; echo err >&2; exit 7
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "shell");
        Assert.Equal(false, output["success"]);
        Assert.Equal("nonzero_exit", output["error_type"]);
        Assert.Equal(7L, output["exit_code"]);
        Assert.Equal("out\n", output["stdout"]);
        Assert.Equal("err\n", output["stderr"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteShell_Timeout_FailsWithTimeout()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            - id: shell
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: sleep 30
                timeout: 1
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "shell");
        Assert.Equal(false, output["success"]);
        Assert.Equal("timeout", output["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Theory]
    [InlineData("7200", "3600 s")]
    [InlineData("1e30", "3600 s")]
    [InlineData("-3", "timeout")]
    public async Task ExecuteShell_TimeoutOutOfRange_FailsNamingTheLimitAndRunsNothing(string timeout, string named)
    {
        await using var host = DaytonaHost.Create($$"""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                persistent: true
            - id: shell
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: touch ran
                timeout: {{timeout}}
            """);

        var result = await host.RunAsync();

        var output = DaytonaHost.Output(result, "shell");
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_argument", output["error_type"]);
        Assert.Contains(named, output["error"] as string, StringComparison.Ordinal);
        var sandbox = Assert.Single(await host.SandboxesAsync());
        Assert.False((await host.Provider.Files.InfoAsync(sandbox.Id, "/workspace/ran")).Succeeded, "the command ran");
    }
}
