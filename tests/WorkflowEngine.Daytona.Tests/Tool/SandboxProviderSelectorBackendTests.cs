using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool;

/// <summary>
/// Backend choice with the Daytona REST provider registered. Its URL is a loopback port nothing listens on, so
/// "daytona was picked" shows as a create that fails with "cannot reach Daytona … 127.0.0.1:9".
/// </summary>
public class SandboxProviderSelectorBackendTests
{
    private const string MissingKey = "The daytona backend is not configured: set DAYTONA_API_KEY (or config api_key in tools.yaml). Or use backend: local.";

    [Fact]
    public async Task Select_AutoWithoutKey_PicksLocal()
    {
        await using var host = BackendHost.Create("""
            backend: auto
            api_key: ""
            """, o => BackendHost.Unreachable(o, apiKey: null));

        var create = await host.CreateAsync();

        Assert.True(create["success"] is true, create.GetValueOrDefault("error") as string);
        Assert.StartsWith("sandbox-", Assert.IsType<string>(create["sandbox_id"]));
        Assert.NotEqual("daytona", create["isolation"]);
    }

    [Fact]
    public async Task Select_AutoWithConfigApiKey_PicksDaytonaWithTheToolsSettings()
    {
        // The host's URL is invalid: only the tool's api_url gets the call as far as the network.
        await using var host = BackendHost.Create($"""
            backend: auto
            api_key: dtn_from_tools_yaml
            api_url: {BackendHost.UnreachableApiUrl}
            """, o =>
            {
                BackendHost.Unreachable(o, apiKey: null);
                o.ApiUrl = "not a url";
            });

        var create = await host.CreateAsync();

        AssertUnreachable(create);
    }

    [Fact]
    public async Task Select_AutoWithHostKey_PicksDaytona()
    {
        // A key in AddDaytonaSandboxes options stands for DAYTONA_API_KEY, which is where the options' key defaults from.
        await using var host = BackendHost.Create("""
            backend: auto
            api_key: ""
            """, o => BackendHost.Unreachable(o, apiKey: "dtn_host"));

        var create = await host.CreateAsync();

        AssertUnreachable(create);
    }

    [Fact]
    public async Task Select_AutoWithKeyButDaytonaNotRegistered_PicksLocal()
    {
        await using var host = BackendHost.Create("""
            backend: auto
            api_key: dtn_from_tools_yaml
            """, daytona: null);

        var create = await host.CreateAsync();

        Assert.True(create["success"] is true, create.GetValueOrDefault("error") as string);
        Assert.StartsWith("sandbox-", Assert.IsType<string>(create["sandbox_id"]));
    }

    [Fact]
    public async Task Select_BlankBackend_MeansAuto()
    {
        await using var host = BackendHost.Create("""
            backend: ""
            """, o => BackendHost.Unreachable(o, apiKey: null));

        var create = await host.CreateAsync();

        Assert.True(create["success"] is true, create.GetValueOrDefault("error") as string);
    }

    [Fact]
    public async Task Select_DaytonaWithoutKey_FailsNamingDaytonaApiKey()
    {
        await using var host = BackendHost.Create("""
            backend: daytona
            api_key: ""
            """, o => BackendHost.Unreachable(o, apiKey: null));

        var create = await host.CreateAsync();

        Assert.Equal(false, create["success"]);
        Assert.Equal("authentication", create["error_type"]);
        Assert.Equal(MissingKey, create["error"]);
        Assert.Null(create["sandbox_id"]);
    }

    [Fact]
    public async Task Select_RunInputDaytona_WinsOverConfigLocal()
    {
        await using var host = BackendHost.Create("""
            backend: local
            api_key: ""
            """, o => BackendHost.Unreachable(o, apiKey: null));

        var create = await host.CreateAsync(new Dictionary<string, object?> { ["backend"] = "daytona" });

        Assert.Equal(false, create["success"]);
        Assert.Equal(MissingKey, create["error"]);
    }

    [Fact]
    public async Task Select_RunInputLocal_WinsOverConfigDaytonaWithKey()
    {
        await using var host = BackendHost.Create("""
            backend: daytona
            api_key: dtn_from_tools_yaml
            """, o => BackendHost.Unreachable(o, apiKey: null));

        var create = await host.CreateAsync(new Dictionary<string, object?> { ["backend"] = "local" });

        Assert.True(create["success"] is true, create.GetValueOrDefault("error") as string);
        Assert.StartsWith("sandbox-", Assert.IsType<string>(create["sandbox_id"]));
    }

    [Fact]
    public async Task Select_DaytonaNotRegistered_FailsNamingAddDaytonaSandboxes()
    {
        await using var host = BackendHost.Create("""
            backend: daytona
            api_key: dtn_from_tools_yaml
            """, daytona: null);

        var create = await host.CreateAsync();

        Assert.Equal(false, create["success"]);
        Assert.Equal("unavailable", create["error_type"]);
        Assert.Equal(
            "The daytona backend is not registered in this host; call services.AddDaytonaSandboxes() (WorkflowEngine.Daytona.Rest), or use backend: local.",
            create["error"]);
    }

    /// <summary>The create went to Daytona's API at 127.0.0.1:9 and found nothing listening.</summary>
    internal static void AssertUnreachable(Dictionary<string, object?> create)
    {
        Assert.Equal(false, create["success"]);
        Assert.Equal("connection", create["error_type"]);
        var error = Assert.IsType<string>(create["error"]);
        Assert.StartsWith("Failed to create sandbox: cannot reach Daytona", error);
        Assert.Contains("127.0.0.1:9", error);
    }
}
