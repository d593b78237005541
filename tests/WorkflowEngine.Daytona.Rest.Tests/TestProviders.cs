namespace WorkflowEngine.Daytona.Rest.Tests;

internal static class TestProviders
{
    public const string Key = "dtn_test_key";

    public static DaytonaOptions Options(FakeDaytonaServer server, Action<DaytonaOptions>? configure = null)
    {
        var options = new DaytonaOptions
        {
            ApiKey = Key,
            ApiUrl = server.ApiUrl,
            OrganizationId = "org-1",
            Target = "us",
            RequestTimeout = TimeSpan.FromSeconds(20),
            StartTimeout = TimeSpan.FromSeconds(10),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    public static DaytonaSandboxProvider Provider(FakeDaytonaServer server, Action<DaytonaOptions>? configure = null) =>
        new(Options(server, configure));
}
