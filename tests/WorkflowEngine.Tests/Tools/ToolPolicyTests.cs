using System.Text.Json;
using Mediator;
using WorkflowEngine.Tests.Support;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Tests.Tools;

/// <summary>A tool method that reports the <see cref="ToolCallContext"/> it was dispatched with.</summary>
public sealed record ContextProbeRequest : IRequest<Dictionary<string, object?>>, IToolRequest
{
    public string? Secret { get; init; }
}

public sealed class ContextProbeHandler : IRequestHandler<ContextProbeRequest, Dictionary<string, object?>>
{
    public ValueTask<Dictionary<string, object?>> Handle(ContextProbeRequest request, CancellationToken cancellationToken)
    {
        var context = ToolCallContext.Current;
        return ValueTask.FromResult(new Dictionary<string, object?>
        {
            ["tool"] = context?.ToolId,
            ["method"] = context?.Method,
            ["run_id"] = context?.RunId,
            ["mode"] = context?.Config("mode"),
            ["session"] = context?.RunInputs.GetValueOrDefault("session"),
        });
    }
}

public class ToolPolicyTests
{
    private static string Yaml(string toolEntry) => $$"""
        tools:
          {{toolEntry}}
        workflows:
          flow:
            steps:
              - id: probe
                tool: probe_tool
                method: probe
                params: { secret: "s3cret", note: "kept" }
                output: { to: user }
        """;

    private static void Register(WorkflowEngine.Hosting.WorkflowEngineBuilder builder) =>
        builder.AddTool("probe", t => t.AddMethod<ContextProbeRequest>("probe"));

    [Fact]
    public async Task RunAsync_TypedHandler_SeesToolConfigAndRunThroughToolCallContext()
    {
        var result = await TestEngine.RunAsync(
            Yaml("- { id: probe_tool, type: probe, config: { mode: strict } }"), "flow", "x", b => Register(b));

        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal("probe_tool", output["tool"]);
        Assert.Equal("probe", output["method"]);
        Assert.Equal(result.RunId, output["run_id"]);
        Assert.Equal("strict", output["mode"]);
        Assert.Null(ToolCallContext.Current);
    }

    [Theory]
    [InlineData("{ denied_methods: [probe] }", "denied")]
    [InlineData("{ allowed_methods: [other] }", "allowed_methods")]
    [InlineData("{ denied_methods: 'other, probe' }", "denied")]
    public async Task RunAsync_MethodRefusedByConfig_ReturnsPermissionDenied(string config, string reason)
    {
        var result = await TestEngine.RunAsync(Yaml($"- {{ id: probe_tool, type: probe, config: {config} }}"), "flow", "x", b => Register(b));

        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal(false, output["success"]);
        Assert.Equal("permission_denied", output["error_type"]);
        Assert.Contains(reason, (string)output["error"]!);
    }

    [Fact]
    public async Task RunAsync_AuthenticatedToolWithoutUser_IsRefusedAndWithUserAllowed()
    {
        var yaml = Yaml("- { id: probe_tool, type: probe, permission: authenticated }");
        using var provider = TestEngine.Build(yaml, b => Register(b));
        var runner = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<WorkflowEngine.Runtime.IWorkflowRunner>(provider);

        var anonymous = await runner.RunAsync("flow", new Dictionary<string, object?> { ["user_input"] = "x" });
        var named = await runner.RunAsync("flow", new Dictionary<string, object?> { ["user_input"] = "x", ["user"] = "ada" });

        Assert.Equal("permission_denied", ((Dictionary<string, object?>)anonymous.Output!)["error_type"]);
        Assert.Contains("--user", (string)((Dictionary<string, object?>)anonymous.Output!)["error"]!);
        Assert.Equal("probe", ((Dictionary<string, object?>)named.Output!)["method"]);
    }

    [Fact]
    public async Task RunAsync_WithAuditLog_WritesOneRedactedLinePerCall()
    {
        var audit = Path.Combine(Path.GetTempPath(), "wfe-audit-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var result = await TestEngine.RunAsync(Yaml("- { id: probe_tool, type: probe, config: { denied_methods: [probe] } }"), "flow", "x", b => Register(b), o => o.AuditLogPath = audit);

            var line = Assert.Single(File.ReadAllLines(audit));
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            Assert.Equal(result.RunId, root.GetProperty("run_id").GetString());
            Assert.Equal("probe", root.GetProperty("method").GetString());
            Assert.False(root.GetProperty("success").GetBoolean());
            Assert.Equal("permission_denied", root.GetProperty("error_type").GetString());
            Assert.Equal("***", root.GetProperty("params").GetProperty("secret").GetString());
            Assert.Equal("kept", root.GetProperty("params").GetProperty("note").GetString());
        }
        finally
        {
            File.Delete(audit);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task RunAsync_WithAuditLog_FileIsOwnerOnly(bool leftWideByOlderVersion)
    {
        var audit = Path.Combine(Path.GetTempPath(), "wfe-audit-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            if (leftWideByOlderVersion)
            {
                await File.WriteAllTextAsync(audit, "");
                File.SetUnixFileMode(audit, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            await TestEngine.RunAsync(Yaml("- { id: probe_tool, type: probe, config: { denied_methods: [probe] } }"), "flow", "x", b => Register(b), o => o.AuditLogPath = audit);

            Assert.Single(File.ReadAllLines(audit));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(audit));
        }
        finally
        {
            File.Delete(audit);
        }
    }

    [Fact]
    public void Redact_EnvironmentValuesAndSecretKeys_AreHidden()
    {
        var redacted = ToolAuditBehavior.Redact(new Dictionary<string, object?>
        {
            ["environment_vars"] = new Dictionary<string, object?> { ["TOKEN"] = "abc", ["MODE"] = "dev" },
            ["api_key"] = "k",
            ["language"] = "python",
        });

        Assert.Equal(new Dictionary<string, object?> { ["TOKEN"] = "***", ["MODE"] = "***" }, redacted["environment_vars"]);
        Assert.Equal("***", redacted["api_key"]);
        Assert.Equal("python", redacted["language"]);
    }
}
