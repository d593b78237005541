using System.Text.Json;
using WorkflowEngine.Cli.Tests.Support;

namespace WorkflowEngine.Cli.Tests;

public sealed class CommandTests : IDisposable
{
    private readonly Wfe _wfe = new();

    public void Dispose() => _wfe.Dispose();

    [Fact]
    public async Task Validate_ShippedDefinitions_ExitsZeroWithoutDiagnostics()
    {
        var (exit, stdout, stderr) = await _wfe.RunAsync("validate");

        Assert.Equal(0, exit);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("0 error(s), 0 warning(s)", stderr);
    }

    [Fact]
    public async Task Validate_BrokenFile_ExitsOneWithCompilerStylePositions()
    {
        var file = Path.Combine(_wfe.Home, "broken.yaml");
        await File.WriteAllTextAsync(file, "workflows:\n  w:\n    steps:\n      - id: a\n        agent: nobody\n");

        var (exit, stdout, _) = await _wfe.RunAsync("validate", file);

        Assert.Equal(1, exit);
        Assert.Contains($"{file}:5:9: error: Step 'a' uses agent 'nobody'", stdout);
    }

    [Fact]
    public async Task Run_Json_PrintsTheDocumentedRunResultShape()
    {
        var (exit, stdout, _) = await _wfe.RunAsync("run", "use_daytona_environment_tool", "List all my sandboxes", "--json", "--agents", "builtin");

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        foreach (var field in new[] { "run_id", "workflow", "status", "output", "steps", "tool_calls" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal("succeeded", root.GetProperty("status").GetString());
        var step = root.GetProperty("steps")[0];
        Assert.True(step.TryGetProperty("duration_ms", out _));
        var call = Assert.Single(root.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("list_sandboxes", call.GetProperty("method").GetString());
        Assert.True(call.GetProperty("result").GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Run_UnknownWorkflow_ExitsOneAndNamesTheAvailableOnes()
    {
        var (exit, _, stderr) = await _wfe.RunAsync("run", "full_developmnet_cycle", "x");

        Assert.Equal(1, exit);
        Assert.Contains("Did you mean 'full_development_cycle'?", stderr);
    }

    [Fact]
    public async Task Run_FullDevelopmentCycle_ReportsRealOutputAndCommitAndLeavesNoSandbox()
    {
        var (exit, stdout, stderr) = await _wfe.RunAsync("run", "full_development_cycle",
            "Create a Python sandbox named demo, write app.py that prints hello, run it, and commit it with message 'first version'");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Output:\nhello\n", stdout);
        Assert.Matches("Commit: [0-9a-f]{40} \"first version\"", stdout);
        var (_, list, _) = await _wfe.RunAsync("sandbox", "ls", "--json");
        Assert.Equal("[]", list.Trim());
    }

    [Fact]
    public async Task Graph_Workflow_PrintsMermaidWithConditionBranches()
    {
        var (exit, stdout, _) = await _wfe.RunAsync("graph", "use_daytona_environment_tool");

        Assert.Equal(0, exit);
        Assert.StartsWith("flowchart TD", stdout);
        Assert.Contains("s_execute_operation --> c1{", stdout);
        Assert.Contains("-- \"invalid_parameters\" --> s_request_clarification", stdout);
    }

    [Fact]
    public async Task Test_CaseFile_PrintsPassAndFailLinesAndExitsOneOnFailure()
    {
        var cases = Path.Combine(_wfe.Home, "cases.yaml");
        await File.WriteAllTextAsync(cases, """
            workflow: use_daytona_environment_tool
            cases:
              - name: good
                input: "Run this Python script safely: print('Hello, World!')"
                expect:
                  calls:
                    - method: execute_code
                      params: { code: "print('Hello, World!')", language: python }
              - name: wrong
                input: "List my sandboxes"
                expect:
                  calls:
                    - method: delete_sandbox
            """);

        var (exit, stdout, _) = await _wfe.RunAsync("test", cases, "--agents", "builtin");

        Assert.Equal(1, exit);
        Assert.Contains("PASS good", stdout);
        Assert.Contains("FAIL wrong: expected delete_sandbox", stdout);
        Assert.EndsWith("1 passed, 1 failed", stdout.Trim());
    }

    [Fact]
    public async Task Sandbox_CreateExecCopyRemove_WorkTogether()
    {
        var (created, id, _) = await _wfe.RunAsync("sandbox", "create", "--name", "cli-test", "--env", "GREETING=hi", "--json");
        Assert.Equal(0, created);
        Assert.Equal("cli-test", JsonDocument.Parse(id).RootElement.GetProperty("name").GetString());

        var (exitCode, output, _) = await _wfe.RunAsync("sandbox", "exec", "cli-test", "--", "bash", "-c", "echo $GREETING; exit 4");
        Assert.Equal(4, exitCode);
        Assert.Equal("hi\n", output);

        var local = Path.Combine(_wfe.Home, "in.txt");
        await File.WriteAllTextAsync(local, "round trip");
        Assert.Equal(0, (await _wfe.RunAsync("sandbox", "cp", local, "cli-test:copy.txt")).ExitCode);
        var back = Path.Combine(_wfe.Home, "out.txt");
        Assert.Equal(0, (await _wfe.RunAsync("sandbox", "cp", "cli-test:/workspace/copy.txt", back)).ExitCode);
        Assert.Equal("round trip", await File.ReadAllTextAsync(back));

        var (refused, _, error) = await _wfe.RunAsync("sandbox", "cp", local, "cli-test:../../etc/x");
        Assert.Equal(1, refused);
        Assert.Contains("'..'", error);

        Assert.Equal(0, (await _wfe.RunAsync("sandbox", "rm", "cli-test")).ExitCode);
        Assert.Equal("[]", (await _wfe.RunAsync("sandbox", "ls", "--json")).Stdout.Trim());
    }

    [Fact]
    public async Task Sandbox_CreateWithDisk_InfoShowsQuotaAndUsage()
    {
        var (created, _, createError) = await _wfe.RunAsync("sandbox", "create", "--name", "disk-test", "--disk", "16M", "--json");
        Assert.True(created == 0, createError);
        Assert.Equal(0, (await _wfe.RunAsync("sandbox", "exec", "disk-test", "--", "bash", "-c", "head -c 1048576 /dev/zero > /workspace/f")).ExitCode);

        var (exitCode, output, _) = await _wfe.RunAsync("sandbox", "info", "disk-test", "--json");

        Assert.Equal(0, exitCode);
        var info = JsonDocument.Parse(output).RootElement;
        Assert.Equal(16L * 1024 * 1024, info.GetProperty("disk_bytes").GetInt64());
        Assert.Equal(4096, info.GetProperty("disk_inodes").GetInt64()); // one per 4 KiB: 100,000 do not fit in 16 MiB
        Assert.StartsWith("enforced", info.GetProperty("disk_quota").GetString());
        Assert.InRange(info.GetProperty("disk_used_bytes").GetInt64(), 1024 * 1024, 16L * 1024 * 1024);
    }
}
