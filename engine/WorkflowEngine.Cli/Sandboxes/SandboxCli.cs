using System.Text.Json;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Cli.Sandboxes;

/// <summary>Shared plumbing for the <c>wfe sandbox</c> commands: the provider and result printing.</summary>
internal static class SandboxCli
{
    /// <summary>The backends <c>--backend</c> accepts; <c>local</c> is the default.</summary>
    public static readonly string[] Backends = ["local", "daytona"];

    /// <summary>
    /// The local provider over <c>WFE_HOME</c>; <c>WFE_ISOLATION=none</c> opts in to running without isolation.
    /// A one-shot command gains nothing from the warm pool or standbys (they would die with the process), so both are off.
    /// </summary>
    public static LocalSandboxProvider CreateProvider() => new(new LocalSandboxOptions
    {
        WarmPool = false,
        MaxStandbys = 0,
    });

    /// <summary>
    /// The provider of <paramref name="backend"/>: <c>local</c> (the default), or <c>daytona</c> configured by the
    /// <c>DAYTONA_*</c> environment variables; an error when daytona has no API key or a bad setting.
    /// </summary>
    public static SandboxResult<ISandboxProvider> CreateProvider(string? backend)
    {
        if (!string.Equals(backend, "daytona", StringComparison.OrdinalIgnoreCase))
        {
            return CreateProvider();
        }

        var options = new DaytonaOptions();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            // Sandbox commands read no tools.yaml, so only the variables can help here.
            return SandboxResult<ISandboxProvider>.Fail(SandboxErrorKind.Authentication,
                "--backend daytona needs an API key: set DAYTONA_API_KEY (and DAYTONA_API_URL for a self-hosted Daytona).");
        }

        if (options.Validate() is { } problem)
        {
            return SandboxResult<ISandboxProvider>.Fail(SandboxErrorKind.InvalidArgument, $"--backend daytona is not configured: {problem}.");
        }

        return new DaytonaSandboxProvider(options);
    }

    /// <summary>Prints an error to stderr and returns exit code 1.</summary>
    public static int Fail(SandboxError error)
    {
        Console.Error.WriteLine($"error: {error.Message}");
        return 1;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    public static void PrintJson(object? value) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(PlainData.FromObject(value), new JsonSerializerOptions(PlainData.JsonOptions) { WriteIndented = true }));

    public static object Describe(SandboxInfo info) => new Dictionary<string, object?>
    {
        ["id"] = info.Id,
        ["name"] = info.Name,
        ["language"] = info.Language,
        ["state"] = info.State,
        ["persistent"] = info.Persistent,
        ["isolation"] = info.Isolation,
        ["network"] = info.Network,
        ["memory_bytes"] = info.Resources.MemoryBytes,
        ["cpus"] = info.Resources.Cpus,
        ["pids"] = info.Resources.Pids,
        ["disk_bytes"] = info.Resources.DiskBytes,
        ["disk_inodes"] = info.Resources.DiskInodes,
        ["disk_quota"] = info.DiskQuota,
        ["disk_used_bytes"] = info.DiskUsedBytes,
        ["disk_used_inodes"] = info.DiskUsedInodes,
        ["created_at"] = info.CreatedAt,
        ["last_accessed_at"] = info.LastAccessedAt,
        ["idle_ttl_seconds"] = info.IdleTtl?.TotalSeconds,
        ["git_repo"] = info.GitRepo,
        ["environment_vars"] = info.EnvironmentVars.ToDictionary(e => e.Key, _ => "***"),
    };
}
