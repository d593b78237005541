using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Hosting;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Daytona.Tests.Support;

/// <summary>
/// A real engine with the <c>daytona_environment</c> tool over the local provider and, when asked, the Daytona REST
/// provider, running one <c>create_sandbox</c> step, to see which backend the selector picks.
/// </summary>
public sealed class BackendHost : IAsyncDisposable
{
    private readonly string _root;
    private readonly ServiceProvider _services;

    private BackendHost(string root, ServiceProvider services)
    {
        _root = root;
        _services = services;
    }

    /// <summary>
    /// Builds the host. <paramref name="config"/> are the lines of the tool's <c>config:</c> mapping at column 0;
    /// <paramref name="daytona"/> registers the Daytona provider with these options when not <see langword="null"/>.
    /// </summary>
    public static BackendHost Create(string config, Action<DaytonaOptions>? daytona)
    {
        var root = Path.Combine(Path.GetTempPath(), "wfe-backend-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        var yaml = $"""
            tools:
              - id: daytona_environment
                type: daytona_environment
                config:
            {string.Join('\n', config.ReplaceLineEndings("\n").Trim('\n').Split('\n').Select(l => "      " + l))}
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: create
                      tool: daytona_environment
                      method: create_sandbox
            """;
        var services = new ServiceCollection();
        services.AddMediator();
        services.AddLocalSandboxes(o =>
        {
            o.DataDirectory = Path.Combine(root, "sandboxes");
            o.WarmPool = false;
        });
        if (daytona is not null)
        {
            services.AddDaytonaSandboxes(daytona);
        }

        services.AddWorkflowEngine(o =>
            {
                o.AgentMode = AgentMode.Builtin;
                o.AuditLogPath = Path.Combine(root, "audit.jsonl");
                o.OpenAIApiKey = null;
                o.OpenAIBaseUrl = null;
            })
            .AddDaytonaEnvironment(Path.Combine(root, "sessions"))
            .AddDefinitionsYaml(yaml, "test.yaml");
        return new BackendHost(root, services.BuildServiceProvider());
    }

    /// <summary>Options that point at a loopback port nothing listens on, so a daytona call fails fast and names that URL.</summary>
    public static void Unreachable(DaytonaOptions options, string? apiKey)
    {
        options.ApiKey = apiKey;
        options.ApiUrl = UnreachableApiUrl;
        options.Target = null;
        options.OrganizationId = null;
        options.RetryAttempts = 0;
        options.RequestTimeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>
    /// An API URL on loopback port 9 (discard): a privileged port nothing listens on in a test machine, and never one
    /// a fake server picks, so connections are refused.
    /// </summary>
    public const string UnreachableApiUrl = "http://127.0.0.1:9/api";

    /// <summary>Runs the workflow and returns the <c>create</c> step's tool result.</summary>
    public async Task<Dictionary<string, object?>> CreateAsync(IReadOnlyDictionary<string, object?>? inputs = null)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["user_input"] = "go" };
        foreach (var (key, value) in inputs ?? new Dictionary<string, object?>())
        {
            all[key] = value;
        }

        var result = await _services.GetRequiredService<IWorkflowRunner>().RunAsync("flow", all);
        Assert.True(result.Succeeded, $"The run failed: {result.Error} {string.Join("; ", result.Diagnostics)}");
        return DaytonaHost.Output(result, "create");
    }

    /// <summary>Removes any local sandbox left, disposes the engine and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            var local = _services.GetRequiredService<LocalSandboxProvider>();
            if ((await local.ListAsync()).Value is { } left)
            {
                foreach (var sandbox in left)
                {
                    await local.DeleteAsync(sandbox.Id);
                }
            }
        }
        finally
        {
            await _services.DisposeAsync();
            Directory.Delete(_root, recursive: true);
        }
    }
}
