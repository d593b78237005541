using System.Text.RegularExpressions;
using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class CreateSandboxHandlerTests
{
    [Fact]
    public async Task CreateSandbox_NameAndLanguage_ReturnsStartedSandboxWithFields()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                name: alpha-box
                language: python
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "create");
        Assert.Equal(true, output["success"]);
        Assert.Matches(new Regex("^sandbox-[0-9a-f]{12}$"), Assert.IsType<string>(output["sandbox_id"]));
        Assert.Equal("alpha-box", output["name"]);
        Assert.Equal("python", output["language"]);
        Assert.Equal("started", output["status"]);
        Assert.Equal(false, output["kept"]);
        Assert.False(string.IsNullOrEmpty(output["message"] as string));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Theory]
    [InlineData("/proc", "no sandbox may reach")]
    [InlineData("fd::0", "remote helper")]
    [InlineData("{LOCAL_ROOT}/../repo", "config.git_roots")]
    public async Task CreateSandbox_GitRepoOutsideGitRootsOrRefusedTransport_FailsWithoutSandbox(string repository, string expected)
    {
        await using var host = DaytonaHost.Create($"""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                git_repo: "{repository}"
            """, """
            config:
              git_roots: "{LOCAL_ROOT}"
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "create");
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_argument", output["error_type"]);
        Assert.Contains("git_repo", output.GetValueOrDefault("error") as string);
        Assert.Contains(expected, output.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_NoLanguageWithConfigDefault_UsesConfiguredLanguage()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                code: "console.log(6 * 7)"
            """, """
            config:
              default_language: javascript
            """);

        var result = await host.RunSucceededAsync();

        var created = DaytonaHost.Output(result, "create");
        Assert.Equal(true, created["success"]);
        Assert.Equal("javascript", created["language"]);
        var run = DaytonaHost.Output(result, "run");
        Assert.True(run["success"] is true, run.GetValueOrDefault("error") as string);
        Assert.Equal("42\n", run["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_NoLanguageNoConfig_DefaultsToPython()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params: {}
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal("python", DaytonaHost.Output(result, "create")["language"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_InvalidName_FailsWithInvalidArgumentAndNoSandboxId()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                name: "bad name; rm -rf /"
            """);

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "create");
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_argument", output["error_type"]);
        Assert.False(string.IsNullOrEmpty(output.GetValueOrDefault("error") as string));
        Assert.True(output.ContainsKey("sandbox_id"));
        Assert.Null(output["sandbox_id"]);
        Assert.Equal("error", output["status"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_EnvironmentVars_AreVisibleToCode()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                environment_vars:
                  GREETING: "hello"
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                code: "import os; print(os.environ['GREETING'])"
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal(true, DaytonaHost.Output(result, "create")["success"]);
        var run = DaytonaHost.Output(result, "run");
        Assert.True(run["success"] is true, run.GetValueOrDefault("error") as string);
        Assert.Equal("hello\n", run["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_DuplicateName_FailsWithConflict()
    {
        await using var host = DaytonaHost.Create("""
            - id: first
              tool: daytona_environment
              method: create_sandbox
              params: { name: twin }
            - id: second
              tool: daytona_environment
              method: create_sandbox
              params: { name: twin }
            """);

        var result = await host.RunSucceededAsync();

        Assert.Equal(true, DaytonaHost.Output(result, "first")["success"]);
        var second = DaytonaHost.Output(result, "second");
        Assert.Equal(false, second["success"]);
        Assert.Equal("conflict", second["error_type"]);
        Assert.Null(second["sandbox_id"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_EnvironmentVarsNumberAndBoolean_AreTakenAsText()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                environment_vars:
                  PORT: 8080
                  DEBUG: true
            - id: run
              tool: daytona_environment
              method: execute_code
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                code: "import os; print(os.environ['PORT'], os.environ['DEBUG'])"
            """);

        var result = await host.RunSucceededAsync();

        var created = DaytonaHost.Output(result, "create");
        Assert.True(created["success"] is true, created.GetValueOrDefault("error") as string);
        Assert.Equal("8080 true\n", DaytonaHost.Output(result, "run")["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_EnvironmentVarsListValue_FailsWithInvalidParameters()
    {
        await using var host = DaytonaHost.Create("""
            - id: create
              tool: daytona_environment
              method: create_sandbox
              params:
                environment_vars:
                  PATHS: [a, b]
            """);

        var result = await host.RunSucceededAsync();

        var created = DaytonaHost.Output(result, "create");
        Assert.Equal(false, created["success"]);
        Assert.Equal("invalid_parameters", created["error_type"]);
        Assert.Contains("environment_vars", created["error"] as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task CreateSandbox_MoreThanMaxSandboxes_FailsNamingTheMaximumAndCreatesNothing()
    {
        await using var host = DaytonaHost.Create("""
            - id: first
              tool: daytona_environment
              method: create_sandbox
              params:
                persistent: true
            - id: second
              tool: daytona_environment
              method: create_sandbox
              params:
                name: one-too-many
            """, sandboxes: o => o.MaxSandboxes = 1);

        var result = await host.RunAsync();

        var first = DaytonaHost.Output(result, "first");
        Assert.Equal(true, first["success"]);
        var second = DaytonaHost.Output(result, "second");
        Assert.Equal(false, second["success"]);
        Assert.Equal("limit_exceeded", second["error_type"]);
        Assert.Contains("MaxSandboxes", second["error"] as string, StringComparison.Ordinal);
        Assert.Equal(first["sandbox_id"], Assert.Single(await host.SandboxesAsync()).Id);
    }
}
