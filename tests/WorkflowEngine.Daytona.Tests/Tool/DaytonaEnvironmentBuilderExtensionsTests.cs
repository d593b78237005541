using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Daytona.Tests.Support;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tests.Tool;

public class DaytonaEnvironmentBuilderExtensionsTests
{
    private static readonly string[] Methods =
        ["create_sandbox", "delete_sandbox", "execute_code", "execute_shell", "file_operation", "get_sandbox_info", "git_operation", "list_sandboxes"];

    private const string ListOnly = """
        - id: list
          tool: daytona_environment
          method: list_sandboxes
        """;

    [Fact]
    public async Task AddDaytonaEnvironment_Catalog_HasTheEightMethods()
    {
        await using var host = DaytonaHost.Create(ListOnly);

        var tool = host.Services.GetRequiredService<IToolCatalog>().Find("daytona_environment");

        Assert.NotNull(tool);
        Assert.Equal(Methods, tool.Methods.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["code"], tool.Methods["execute_code"].Required);
        Assert.Equal(["sandbox_id"], tool.Methods["delete_sandbox"].Required);
    }

    [Fact]
    public async Task InvokeTool_DirectCallWithoutRun_ListsSandboxes()
    {
        await using var host = DaytonaHost.Create(ListOnly);
        var sender = host.Services.GetRequiredService<ISender>();

        var result = await sender.Send(new InvokeToolRequest("daytona_environment", "list_sandboxes", new Dictionary<string, object?>()));

        Assert.Equal(true, result["success"]);
        Assert.Equal(0L, result["count"]);
        Assert.Empty(Assert.IsType<List<object?>>(result["sandboxes"]));
    }

    [Fact]
    public async Task InvokeTool_DirectCreateWithoutRun_KeepsTheSandbox()
    {
        await using var host = DaytonaHost.Create(ListOnly);
        var sender = host.Services.GetRequiredService<ISender>();

        var created = await sender.Send(new InvokeToolRequest("daytona_environment", "create_sandbox", new Dictionary<string, object?> { ["name"] = "direct" }));
        var run = await sender.Send(new InvokeToolRequest("daytona_environment", "execute_code",
            new Dictionary<string, object?> { ["sandbox_id"] = "direct", ["code"] = "print(40 + 2)" }));

        Assert.True(created["success"] is true, created.GetValueOrDefault("error") as string);
        Assert.Equal(true, created["kept"]);
        Assert.Equal("42\n", run["stdout"]);
        var id = Assert.IsType<string>(created["sandbox_id"]);
        Assert.Equal(id, Assert.Single(await host.SandboxesAsync()).Id);
        await host.DeleteAsync(id);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task InvokeTool_DirectCallWithoutSandboxId_FailsInsteadOfCreatingOne()
    {
        await using var host = DaytonaHost.Create(ListOnly);
        var sender = host.Services.GetRequiredService<ISender>();

        var result = await sender.Send(new InvokeToolRequest("daytona_environment", "execute_code", new Dictionary<string, object?> { ["code"] = "print(1)" }));

        Assert.Equal(false, result["success"]);
        Assert.Equal("invalid_argument", result["error_type"]);
        Assert.Contains("sandbox_id", result.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task McpCall_LocalUrlWithNameAndArguments_CallsTheTool()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              function: mcp_call
              args:
                mcp_url: local://daytona_environment
                payload:
                  name: create_sandbox
                  arguments:
                    name: mcp-box
            - id: run
              function: mcp_call
              args:
                mcp_url: local://daytona_environment
                payload:
                  name: execute_code
                  arguments:
                    sandbox_id: ${steps.create.output.sandbox_id}
                    code: "print('via mcp')"
            """);

        var result = await host.RunSucceededAsync();

        var created = DaytonaHost.Output(result, "create");
        Assert.True(created["success"] is true, created.GetValueOrDefault("error") as string);
        Assert.Equal("mcp-box", created["name"]);
        var run = DaytonaHost.Output(result, "run");
        Assert.True(run["success"] is true, run.GetValueOrDefault("error") as string);
        Assert.Equal("via mcp\n", run["stdout"]);
        Assert.Equal(created["sandbox_id"], run["sandbox_id"]);
        Assert.Equal(2, result.ToolCalls.Count);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task McpCall_UnknownMethod_FailsListingAvailableMethods()
    {
        await using var host = DaytonaHost.Create("""
            - id: call
              function: mcp_call
              args:
                mcp_url: local://daytona_environment
                payload:
                  name: launch_rockets
                  arguments: {}
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "call");
        Assert.Equal(false, output["success"]);
        Assert.Equal("unknown_method", output["error_type"]);
        Assert.Contains("Method 'launch_rockets' is not available", output.GetValueOrDefault("error") as string);
        Assert.Equal(Methods, Assert.IsType<List<object?>>(output["available_methods"]).Cast<string>());
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task InvokeTool_DirectUnknownMethod_FailsListingAvailableMethods()
    {
        await using var host = DaytonaHost.Create(ListOnly);
        var sender = host.Services.GetRequiredService<ISender>();

        var result = await sender.Send(new InvokeToolRequest("daytona_environment", "execute_cod", new Dictionary<string, object?>()));

        Assert.Equal(false, result["success"]);
        Assert.Contains("execute_code", result.GetValueOrDefault("error") as string);
        Assert.Equal(Methods, Assert.IsType<List<object?>>(result["available_methods"]).Cast<string>());
    }

    [Fact]
    public async Task ExecuteCode_MissingCode_FailsWithInvalidParametersListingRequiredAndOptional()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "run");
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_parameters", output["error_type"]);
        var error = Assert.IsType<string>(output["error"]);
        Assert.Contains("'code'", error);
        Assert.Contains("Required: code", error);
        Assert.Contains("Optional:", error);
        Assert.Contains("sandbox_id", error);
        Assert.Equal(["code"], Assert.IsType<List<object?>>(output["required"]).Cast<string>());
        Assert.Contains("working_directory", Assert.IsType<List<object?>>(output["optional"]).Cast<string>());
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_WrongParameterType_FailsWithInvalidParameters()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                persistent: [1, 2]
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "create");
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_parameters", output["error_type"]);
        Assert.Contains("persistent", output.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task DeleteSandbox_DeniedByConfig_FailsWithPermissionDenied()
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
            - id: info
              tool: daytona_environment
              method: get_sandbox_info
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
            """, """
            config:
              denied_methods: [delete_sandbox]
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal(true, DaytonaHost.Output(result, "create")["success"]);
        var delete = DaytonaHost.Output(result, "delete");
        Assert.Equal(false, delete["success"]);
        Assert.Equal("permission_denied", delete["error_type"]);
        Assert.Contains("denied_methods", delete.GetValueOrDefault("error") as string);
        Assert.Equal(true, DaytonaHost.Output(result, "info")["success"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_NotInAllowedMethods_FailsWithPermissionDenied()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            - id: run
              tool: daytona_environment
              method: execute_shell
              params:
                command: echo hi
            - id: list
              tool: daytona_environment
              method: list_sandboxes
            """, """
            config:
              allowed_methods: [list_sandboxes]
            """);

        var result = await host.RunSucceededAsync();

        foreach (var step in new[] { "create", "run" })
        {
            var refused = DaytonaHost.Output(result, step);
            Assert.Equal(false, refused["success"]);
            Assert.Equal("permission_denied", refused["error_type"]);
            Assert.Contains("allowed_methods", refused.GetValueOrDefault("error") as string);
        }

        var list = DaytonaHost.Output(result, "list");
        Assert.Equal(true, list["success"]);
        Assert.Equal(0L, list["count"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_AuthenticatedPermissionWithoutUser_IsRefusedAndWithUserAllowed()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
            """, """
            permission: authenticated
            """);

        var anonymous = await host.RunSucceededAsync();
        var authenticated = await host.RunSucceededAsync(new Dictionary<string, object?> { ["user"] = "ada" });

        var refused = DaytonaHost.Output(anonymous, "create");
        Assert.Equal(false, refused["success"]);
        Assert.Equal("permission_denied", refused["error_type"]);
        Assert.Contains("authenticated", refused.GetValueOrDefault("error") as string);
        var allowed = DaytonaHost.Output(authenticated, "create");
        Assert.True(allowed["success"] is true, allowed.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task AuditLog_EachCall_AppendsOneLineWithSecretsRedacted()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                name: audited
                environment_vars:
                  DATABASE_URL: "postgres://user:hunter2@db/app"
                  PLAIN: "visible-only-as-stars"
            - id: list
              tool: daytona_environment
              method: list_sandboxes
              params:
                api_key: "sk-very-secret-key"
            - id: fail
              tool: daytona_environment
              method: get_sandbox_info
              params:
                sandbox_id: missing-one
            """);

        var result = await host.RunSucceededAsync();

        var text = await File.ReadAllTextAsync(host.AuditLogPath);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("visible-only-as-stars", text);
        Assert.DoesNotContain("sk-very-secret-key", text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.Equal("daytona_environment", line.GetProperty("tool").GetString());
            Assert.Equal(result.RunId, line.GetProperty("run_id").GetString());
        });
        Assert.Equal(["create_sandbox", "list_sandboxes", "get_sandbox_info"], lines.Select(l => l.GetProperty("method").GetString()));
        Assert.Equal([true, true, false], lines.Select(l => l.GetProperty("success").GetBoolean()));
        var environment = lines[0].GetProperty("params").GetProperty("environment_vars");
        Assert.Equal("***", environment.GetProperty("DATABASE_URL").GetString());
        Assert.Equal("***", environment.GetProperty("PLAIN").GetString());
        Assert.Equal("audited", lines[0].GetProperty("params").GetProperty("name").GetString());
        Assert.Equal(DaytonaHost.Output(result, "create")["sandbox_id"], lines[0].GetProperty("sandbox_id").GetString());
        Assert.Equal("***", lines[1].GetProperty("params").GetProperty("api_key").GetString());
        Assert.Equal("not_found", lines[2].GetProperty("error_type").GetString());
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task AuditLog_RefusedCall_IsAuditedToo()
    {
        await using var host = DaytonaHost.Create("""
            - id: delete
              tool: daytona_environment
              method: delete_sandbox
              params: { sandbox_id: anything }
            """, """
            config:
              denied_methods: delete_sandbox
            """);

        var result = await host.RunSucceededAsync();

        var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(host.AuditLogPath))).RootElement;
        Assert.Equal("delete_sandbox", line.GetProperty("method").GetString());
        Assert.False(line.GetProperty("success").GetBoolean());
        Assert.Equal("permission_denied", line.GetProperty("error_type").GetString());
        Assert.Equal(result.RunId, line.GetProperty("run_id").GetString());
    }
}
