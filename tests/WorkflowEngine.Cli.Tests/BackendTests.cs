using WorkflowEngine.Cli.Tests.Support;

namespace WorkflowEngine.Cli.Tests;

/// <summary><c>--backend</c> of <c>wfe run</c> and <c>wfe sandbox</c>; the child process never has a DAYTONA_API_KEY.</summary>
public sealed class BackendTests : IDisposable
{
    private readonly Wfe _wfe = new();

    public void Dispose() => _wfe.Dispose();

    [Fact]
    public async Task Run_BackendDaytonaWithoutKey_WorkflowReportsOnceWhichVariableToSet()
    {
        var (exit, stdout, stderr) = await _wfe.RunAsync("run", "use_daytona_environment_tool", "List all my sandboxes", "--agents", "builtin", "--backend", "daytona");

        // The workflow's error route handles the tool's failure, so the run itself succeeds.
        Assert.True(exit == 0, stderr);
        Assert.Contains("Error (authentication): The daytona backend is not configured: set DAYTONA_API_KEY (or config api_key in tools.yaml). Or use backend: local.", stdout);
        Assert.Equal(2, stdout.Split("The daytona backend is not configured").Length);
        Assert.DoesNotContain("No sandboxes found", stdout);
    }

    [Fact]
    public async Task Run_BackendDaytonaWithToolsYamlKey_CallsTheToolsApiUrl()
    {
        // Port 9 on loopback: nothing listens, so reaching it shows the tools.yaml api_key and api_url were used.
        var tools = Path.Combine(_wfe.Home, "tools.yaml");
        await File.WriteAllTextAsync(tools, """
            tools:
              - id: daytona_environment
                type: daytona_environment
                config:
                  backend: local
                  api_key: dtn_from_tools_yaml
                  api_url: http://127.0.0.1:9/api
            """);

        var (exit, stdout, stderr) = await _wfe.RunAsync("run", "use_daytona_environment_tool", "Create a Python sandbox named remote-one",
            "--agents", "builtin", "--backend", "daytona", "--path", "agents", "workflows", tools);

        Assert.True(exit == 0, stderr);
        Assert.Contains("Failed to create sandbox: cannot reach Daytona", stdout);
        Assert.Contains("127.0.0.1:9", stdout);
    }

    [Fact]
    public async Task Sandbox_BackendDaytonaWithoutKey_ExitsOneNamingDaytonaApiKey()
    {
        var (exit, stdout, stderr) = await _wfe.RunAsync("sandbox", "ls", "--backend", "daytona");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal("error: --backend daytona needs an API key: set DAYTONA_API_KEY (and DAYTONA_API_URL for a self-hosted Daytona).", stderr.Trim());
    }

    [Fact]
    public async Task Sandbox_BackendBeforeSubcommand_IsAccepted()
    {
        var (exit, _, stderr) = await _wfe.RunAsync("sandbox", "--backend", "daytona", "info", "some-box");

        Assert.Equal(1, exit);
        Assert.Contains("DAYTONA_API_KEY", stderr);
    }

    [Fact]
    public async Task Sandbox_PruneWithBackendDaytona_ExitsTwoSayingPruneIsLocal()
    {
        var (exit, _, stderr) = await _wfe.RunAsync("sandbox", "prune", "--backend", "daytona");

        Assert.Equal(2, exit);
        Assert.Contains("prune applies to local sandboxes only", stderr);
    }

    [Fact]
    public async Task Sandbox_UnknownBackend_IsRejectedByTheParser()
    {
        var (exit, _, stderr) = await _wfe.RunAsync("sandbox", "ls", "--backend", "docker");

        Assert.NotEqual(0, exit);
        Assert.Contains("docker", stderr);
    }
}
