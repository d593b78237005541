using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool;

[Collection(EnvironmentCollection.Name)]
public class SandboxProviderSelectorEnvironmentTests
{
    [Fact]
    public async Task Select_AutoWithDaytonaApiKeyVariable_PicksDaytona()
    {
        var previous = Environment.GetEnvironmentVariable("DAYTONA_API_KEY");
        Environment.SetEnvironmentVariable("DAYTONA_API_KEY", "dtn_from_environment");
        try
        {
            // The options leave the key unset, so it comes from DAYTONA_API_KEY; tools.yaml's ${DAYTONA_API_KEY:-} would be "" only when unset.
            await using var host = BackendHost.Create("""
                backend: auto
                """, o =>
                {
                    o.ApiUrl = BackendHost.UnreachableApiUrl;
                    o.RetryAttempts = 0;
                });

            var create = await host.CreateAsync();

            SandboxProviderSelectorBackendTests.AssertUnreachable(create);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DAYTONA_API_KEY", previous);
        }
    }
}
