using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool;

public class DaytonaToolPlannerTests
{
    [Fact]
    public async Task DryRun_Calls_AreRecordedWithPlannedResultsAndCreateNoSandbox()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: { name: planned-box, language: javascript }
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                code: "console.log(1)"
            - id: git
              function: mcp_call
              args:
                mcp_url: local://daytona_environment
                payload:
                  name: git_operation
                  arguments:
                    sandbox_id: ${steps.create.output.sandbox_id}
                    operation: commit
                    commit_message: planned
            """, options: o => o.DryRun = true);

        var result = await host.RunSucceededAsync();

        Assert.Equal(["create_sandbox", "execute_code", "git_operation"], result.ToolCalls.Select(c => c.Method));
        Assert.All(result.ToolCalls, call =>
        {
            Assert.Equal("daytona_environment", call.Tool);
            Assert.Equal(true, call.Result["dry_run"]);
            Assert.Equal(true, call.Result["success"]);
        });
        var create = result.ToolCalls[0].Result;
        Assert.Equal("javascript", create["language"]);
        Assert.Equal("planned", create["status"]);
        Assert.Equal("console.log(1)", result.ToolCalls[1].Params["code"]);
        Assert.Equal(0L, result.ToolCalls[1].Result["exit_code"]);
        Assert.Equal(create["sandbox_id"], result.ToolCalls[1].Params["sandbox_id"]);
        Assert.Equal(40, (result.ToolCalls[2].Result["commit_id"] as string)?.Length);
        await host.AssertNoSandboxesLeftAsync();
        Assert.False(File.Exists(host.AuditLogPath) && File.ReadAllLines(host.AuditLogPath).Any(l => l.Contains("\"dry_run\":false", StringComparison.Ordinal)));
    }
}
