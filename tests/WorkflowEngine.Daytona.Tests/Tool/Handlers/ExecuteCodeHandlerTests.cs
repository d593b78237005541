using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class ExecuteCodeHandlerTests
{
    private static string Steps(string runParams) => $$"""
        - id: create
          tool: daytona_environment
          method: create_sandbox
          params: { language: python }
        - id: run
          tool: daytona_environment
          method: execute_code
          params:
            sandbox_id: ${steps.create.output.sandbox_id}
        {{runParams}}
        """;

    [Fact]
    public async Task ExecuteCode_PythonPrint_ReturnsStdoutAndExitCodeZero()
    {
        await using var host = DaytonaHost.Create(Steps("""
                code: "print('hello from python')"
            """));

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "run");
        Assert.True(output["success"] is true, output.GetValueOrDefault("error") as string);
        Assert.Equal("hello from python\n", output["stdout"]);
        Assert.Equal("", output["stderr"]);
        Assert.Equal(0L, output["exit_code"]);
        Assert.True(Assert.IsType<double>(output["execution_time"]) > 0);
        Assert.Equal(DaytonaHost.Output(result, "create")["sandbox_id"], output["sandbox_id"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteCode_NonZeroExit_FailsWithNonzeroExitAndKeepsOutput()
    {
        await using var host = DaytonaHost.Create(Steps("""
                code: |
                  import sys
                  print("partial")
                  print("boom", file=sys.stderr)
                  sys.exit(3)
            """));

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "run");
        Assert.Equal(false, output["success"]);
        Assert.Equal("nonzero_exit", output["error_type"]);
        Assert.Equal(3L, output["exit_code"]);
        Assert.Equal("partial\n", output["stdout"]);
        Assert.Contains("boom", output["stderr"] as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteCode_PythonException_ReportsTracebackInStderr()
    {
        await using var host = DaytonaHost.Create(Steps("""
                code: "raise ValueError('bad value')"
            """));

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "run");
        Assert.Equal(false, output["success"]);
        Assert.Equal("nonzero_exit", output["error_type"]);
        Assert.Equal(1L, output["exit_code"]);
        Assert.Contains("ValueError: bad value", output["stderr"] as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteCode_EndlessLoopWithTimeout_FailsWithTimeout()
    {
        await using var host = DaytonaHost.Create(Steps("""
                code: |
                  while True:
                      pass
                timeout: 1
            """));

        var started = DateTime.UtcNow;
        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "run");
        Assert.Equal(false, output["success"]);
        Assert.Equal("timeout", output["error_type"]);
        Assert.Equal(true, output["timed_out"]);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteCode_WorkingDirectory_RunsThere()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            - id: mkdir
              tool: daytona_environment
              method: file_operation
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                operation: write
                file_path: project/data.txt
                content: "payload"
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                working_directory: /workspace/project
                code: "import os; print(os.getcwd()); print(open('data.txt').read())"
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal(true, DaytonaHost.Output(result, "mkdir")["success"]);
        var output = DaytonaHost.Output(result, "run");
        Assert.True(output["success"] is true, output.GetValueOrDefault("error") as string);
        Assert.Equal("/workspace/project\npayload\n", output["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteCode_BashLanguage_RunsBash()
    {
        await using var host = DaytonaHost.Create(Steps("""
                language: bash
                code: "echo $((2+3))"
            """));

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "run");
        Assert.True(output["success"] is true, output.GetValueOrDefault("error") as string);
        Assert.Equal("5\n", output["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task ExecuteCode_UnknownSandbox_FailsWithNotFound()
    {
        await using var host = DaytonaHost.Create("""
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                sandbox_id: sandbox-000000000000
                code: "print(1)"
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "run");
        Assert.Equal(false, output["success"]);
        Assert.Equal("not_found", output["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }
}
