using WorkflowEngine.Agents.Builtin;
using WorkflowEngine.Agents.Tests.Support;

namespace WorkflowEngine.Agents.Tests.Builtin;

public sealed class ResponseAgentsTests
{
    private static Task<string> FormatAsync(string userInput, Dictionary<string, object?> result) =>
        AgentRequests.AskAsync(new ResponseFormatterAgent(), AgentRequests.For(userInput, input: "Result below", stepOutputs: new Dictionary<string, object?> { ["run_tool"] = result }));

    [Fact]
    public async Task ResponseFormatter_CreateResult_StatesIdNameLanguage()
    {
        var text = await FormatAsync("Create a python sandbox", new() { ["success"] = true, ["sandbox_id"] = "sandbox-1", ["name"] = "demo", ["language"] = "python", ["status"] = "running" });
        Assert.Equal("✅ Created sandbox 'demo' (ID: sandbox-1) for python development. Status: running.", text);
    }

    [Fact]
    public async Task ResponseFormatter_ExecutionResult_ShowsExitCodeAndStreams()
    {
        var text = await FormatAsync("Run `ls` in sandbox-1a2b3c", new() { ["success"] = true, ["sandbox_id"] = "sandbox-1a2b3c", ["exit_code"] = 2L, ["stdout"] = "", ["stderr"] = "ls: no such file\n" });
        Assert.Contains("Exit code: 2.", text, StringComparison.Ordinal);
        Assert.Contains("Errors:\nls: no such file", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Output:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseFormatter_JsonInInputText_FormatsFileList()
    {
        var request = AgentRequests.For("List files", input: "Operation result: {\"success\": true, \"sandbox_id\": \"s1\", \"operation\": \"list\", \"file_path\": \"/workspace\", \"files\": [\"a.py\", \"b.txt\"]}\nOriginal request: x");
        var text = await AgentRequests.AskAsync(new ResponseFormatterAgent(), request);
        Assert.Equal("✅ 2 item(s) in /workspace in sandbox s1:\n- a.py\n- b.txt", text);
    }

    [Fact]
    public async Task ResponseFormatter_ListResult_RendersTable()
    {
        var text = await FormatAsync("List my sandboxes", new()
        {
            ["success"] = true,
            ["count"] = 1L,
            ["sandboxes"] = new List<object?> { new Dictionary<string, object?> { ["sandbox_id"] = "sandbox-1", ["name"] = "demo", ["status"] = "running", ["language"] = "python", ["created_at"] = "2025-01-01T00:00:00Z" } },
        });
        Assert.Contains("| ID | Name | Status | Language | Created |", text, StringComparison.Ordinal);
        Assert.Contains("| sandbox-1 | demo | running | python | 2025-01-01T00:00:00Z |", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseFormatter_GitCommit_ShowsOutputWithoutInventing()
    {
        var text = await FormatAsync("Commit with message 'x' in sandbox-1a2b3c", new() { ["success"] = true, ["sandbox_id"] = "sandbox-1a2b3c", ["operation"] = "commit", ["output"] = "abc1234" });
        Assert.Equal("✅ Git commit completed in sandbox sandbox-1a2b3c.\n\nabc1234", text);
    }

    [Fact]
    public async Task ResponseFormatter_InfoResult_ListsPresentFieldsOnly()
    {
        var text = await FormatAsync("Get details of sandbox-1a2b3c", new() { ["success"] = true, ["sandbox_id"] = "sandbox-1a2b3c", ["name"] = "demo", ["language"] = "python", ["created_at"] = "t0", ["environment_vars"] = new Dictionary<string, object?> { ["A"] = "1" } });
        Assert.Equal("Sandbox sandbox-1a2b3c:\n- Name: demo\n- Language: python\n- Created: t0\n- Environment variables: A=1", text);
    }

    [Fact]
    public async Task ResponseFormatter_Failure_QuotesErrorAndAdvises()
    {
        var text = await FormatAsync("Delete sandbox sandbox-1a2b3c", new() { ["success"] = false, ["sandbox_id"] = "sandbox-1a2b3c", ["error"] = "Sandbox 'sandbox-1a2b3c' not found", ["error_type"] = "not_found" });
        Assert.StartsWith("❌ Deleting the sandbox sandbox-1a2b3c failed: Sandbox 'sandbox-1a2b3c' not found", text, StringComparison.Ordinal);
        Assert.Contains("list sandboxes", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not_found", "Sandbox 'x' not found", "list sandboxes")]
    [InlineData("invalid_parameters", "Invalid parameter 'sandbox_id': required", "sandbox-abc123")]
    [InlineData("unavailable", "bubblewrap is not installed", "bubblewrap")]
    [InlineData("connection", "Failed to create sandbox: cannot reach Daytona at http://127.0.0.1:9 (Connection refused)", "DAYTONA_API_URL")]
    [InlineData("unavailable", "Failed to create sandbox: cannot reach Daytona at http://127.0.0.1:9 (Connection refused)", "DAYTONA_API_URL")]
    [InlineData("rate_limited", "Failed to create sandbox: rate limit exceeded (HTTP 429)", "Wait a minute")]
    [InlineData("authorization", "Failed to list sandboxes: not authorized (HTTP 403)", "permissions")]
    [InlineData("conflict", "name already exists", "another name")]
    [InlineData("timeout", "killed: timeout after 60 s", "endless loops")]
    [InlineData(null, "open /etc/x: permission denied", "/workspace")]
    [InlineData(null, "DAYTONA_API_KEY is not set", "DAYTONA_API_KEY")]
    [InlineData(null, "Method 'explode' is not available", "create_sandbox")]
    public async Task ErrorHandler_FailedResult_GivesConcreteAdvice(string? type, string error, string advice)
    {
        var result = new Dictionary<string, object?> { ["success"] = false, ["error"] = error, ["error_type"] = type };
        var text = await AgentRequests.AskAsync(new ErrorHandlerAgent(), AgentRequests.For("do it", stepOutputs: new Dictionary<string, object?> { ["op"] = result }));
        Assert.Contains(error, text, StringComparison.Ordinal);
        Assert.Contains(advice, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorHandler_RunErrorOnly_UsesErrorVariable()
    {
        var text = await AgentRequests.AskAsync(new ErrorHandlerAgent(), AgentRequests.For("x", error: "Step 'run' timed out after 30s"));
        Assert.Contains("took too long", text, StringComparison.Ordinal);
    }
}
