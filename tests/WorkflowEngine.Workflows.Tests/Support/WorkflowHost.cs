using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Server;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Hosting;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Workflows.Tests.Support;

/// <summary>
/// The engine as the CLI builds it (<c>EngineHost</c>): the shipped agents, workflows and <c>tools.yaml</c>, builtin
/// agents and the local sandbox provider, but with every piece of state (sandboxes, sessions, audit log) in a
/// temporary folder of its own.
/// </summary>
public sealed partial class WorkflowHost : IAsyncDisposable
{
    private readonly LocalSandboxProvider _local;
    private readonly DaytonaServer? _server;

    private WorkflowHost(string root, ServiceProvider services, LocalSandboxProvider local, DaytonaServer? server)
    {
        Root = root;
        Services = services;
        _local = local;
        _server = server;
    }

    /// <summary>The temporary folder that stands in for <c>WFE_HOME</c>.</summary>
    public string Root { get; }

    /// <summary>The engine's services.</summary>
    public ServiceProvider Services { get; }

    /// <summary>The local provider: the backend itself, or the one behind the Daytona-compatible server.</summary>
    public LocalSandboxProvider Provider => _local;

    /// <summary>The loaded definitions and their diagnostics.</summary>
    public IDefinitionCatalog Catalog => Services.GetRequiredService<IDefinitionCatalog>();

    /// <summary>The repository root: the folder holding WorkflowEngine.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WorkflowEngine.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"WorkflowEngine.sln was not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>
    /// Builds the engine over the repository's <c>agents/</c>, <c>workflows/</c> and <c>tools.yaml</c>.
    /// <paramref name="toolsYaml"/>, when given, is the text of a <c>tools.yaml</c> that replaces the repository's.
    /// With <paramref name="backend"/> <c>daytona</c>, the tool talks to a Daytona-compatible server on 127.0.0.1
    /// (<c>wfe serve</c>'s server) over the same local provider, configured through tools.yaml as a user would.
    /// </summary>
    public static WorkflowHost Create(string? toolsYaml = null, Action<WorkflowEngineOptions>? options = null, string backend = "local")
    {
        var root = Path.Combine(Path.GetTempPath(), "wfe-workflow-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        var repo = RepositoryRoot;
        var local = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = root, WarmPool = false });
        DaytonaServer? server = null;
        var toolsText = toolsYaml ?? File.ReadAllText(Path.Combine(repo, "tools.yaml"));
        if (backend == "daytona")
        {
            var key = Guid.NewGuid().ToString("N");
            server = Task.Run(() => DaytonaServer.StartAsync(local, new DaytonaServerOptions { Port = 0, ApiKey = key })).GetAwaiter().GetResult();
            toolsText = toolsText
                .Replace("backend: ${WFE_BACKEND:-auto}", "backend: daytona", StringComparison.Ordinal)
                .Replace("api_key: ${DAYTONA_API_KEY:-}", $"api_key: {key}", StringComparison.Ordinal)
                .Replace("api_url: ${DAYTONA_API_URL:-https://app.daytona.io/api}", $"api_url: {server.ApiUrl}", StringComparison.Ordinal);
            Assert.Contains("backend: daytona", toolsText, StringComparison.Ordinal);
        }

        var tools = Path.Combine(root, "tools.yaml");
        File.WriteAllText(tools, toolsText);

        var services = new ServiceCollection();
        services.AddMediator();
        services.AddSingleton(local);
        services.AddSingleton<ISandboxProvider>(local);
        services.AddDaytonaSandboxes(o =>
        {
            // Nothing from the machine's DAYTONA_* variables: only tools.yaml configures the backend here.
            o.ApiKey = null;
            o.ApiUrl = DaytonaOptions.DefaultApiUrl;
        });
        services.AddWorkflowEngine(o =>
            {
                o.AgentMode = AgentMode.Builtin;
                o.AuditLogPath = Path.Combine(root, "audit.jsonl");
                o.OpenAIApiKey = null;
                o.OpenAIBaseUrl = null;
                options?.Invoke(o);
            })
            .AddDaytonaEnvironment(root)
            .AddDaytonaBuiltinAgents()
            .AddDefinitions(Path.Combine(repo, "agents"), Path.Combine(repo, "workflows"), tools);
        return new WorkflowHost(root, services.BuildServiceProvider(), local, server);
    }

    /// <summary>The repository's tools.yaml with <c>denied_methods</c> set to the given methods.</summary>
    public static string ToolsYamlDenying(params string[] methods) =>
        File.ReadAllText(Path.Combine(RepositoryRoot, "tools.yaml"))
            .Replace("denied_methods: []", $"denied_methods: [{string.Join(", ", methods)}]", StringComparison.Ordinal);

    /// <summary>Runs a workflow with the request as <c>user_input</c> and <c>user_query</c>, plus the given inputs.</summary>
    public async Task<RunResult> RunAsync(string workflow, string request, IReadOnlyDictionary<string, object?>? inputs = null)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["user_input"] = request, ["user_query"] = request };
        foreach (var (key, value) in inputs ?? new Dictionary<string, object?>())
        {
            all[key] = value;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await Services.GetRequiredService<IWorkflowRunner>().RunAsync(workflow, all, cts.Token);
    }

    /// <summary>Runs a workflow and fails the test unless the run succeeded.</summary>
    public async Task<RunResult> RunSucceededAsync(string workflow, string request, IReadOnlyDictionary<string, object?>? inputs = null)
    {
        var result = await RunAsync(workflow, request, inputs);
        Assert.True(result.Succeeded, $"{workflow} failed: {result.Error} {string.Join("; ", result.Diagnostics)}\n{Describe(result)}");
        return result;
    }

    /// <summary>The run's output as text.</summary>
    public static string OutputText(RunResult result) => result.Output switch
    {
        null => "",
        string s => s,
        var other => JsonSerializer.Serialize(other),
    };

    /// <summary>The ids of the steps that ran, in order.</summary>
    public static IReadOnlyList<string> StepIds(RunResult result) => result.Steps.Select(s => s.Id).ToList();

    /// <summary>The output of the last run of a step, as a tool result.</summary>
    public static Dictionary<string, object?> Output(RunResult result, string stepId) =>
        Assert.IsType<Dictionary<string, object?>>(result.Steps.Last(s => s.Id == stepId).Output);

    /// <summary>The one tool call of a method (and, for file and git operations, of an operation).</summary>
    public static ToolCallRecord Call(RunResult result, string method, string? operation = null) =>
        Assert.Single(result.ToolCalls, c => c.Method == method && (operation is null || c.Params.GetValueOrDefault("operation") as string == operation));

    /// <summary>A readable account of a run, for assertion messages.</summary>
    public static string Describe(RunResult result) =>
        $"steps: {string.Join(", ", result.Steps.Select(s => $"{s.Id}={s.Status}"))}\n"
        + $"calls: {string.Join("\n  ", result.ToolCalls.Select(c => $"{c.Method} {JsonSerializer.Serialize(c.Params)} -> {JsonSerializer.Serialize(c.Result)}"))}\n"
        + $"output: {OutputText(result)}";

    /// <summary>The sandboxes the provider has.</summary>
    public async Task<IReadOnlyList<SandboxInfo>> SandboxesAsync()
    {
        var listed = await Provider.ListAsync();
        Assert.True(listed.Succeeded, listed.Succeeded ? "" : listed.Error.ToString());
        return listed.Value;
    }

    /// <summary>Whether a sandbox with this id or name exists.</summary>
    public async Task<bool> ExistsAsync(string idOrName) => (await Provider.GetAsync(idOrName)).Succeeded;

    /// <summary>Deletes a sandbox the test kept on purpose.</summary>
    public async Task DeleteAsync(string sandboxId)
    {
        var deleted = await Provider.DeleteAsync(sandboxId);
        Assert.True(deleted.Succeeded, deleted.Succeeded ? "" : deleted.Error.ToString());
    }

    /// <summary>Fails the test when any sandbox is left.</summary>
    public async Task AssertNoSandboxesLeftAsync()
    {
        var left = await SandboxesAsync();
        Assert.True(left.Count == 0, $"Sandboxes left: {string.Join(", ", left.Select(s => $"{s.Id} ({s.Name})"))}");
    }

    /// <summary>Removes whatever is left (after a failed assertion), disposes the engine and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            var listed = await Provider.ListAsync();
            if (listed.Succeeded)
            {
                foreach (var sandbox in listed.Value)
                {
                    await Provider.DeleteAsync(sandbox.Id);
                }
            }
        }
        finally
        {
            await Services.DisposeAsync();
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            _local.Dispose();
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
    }

    /// <summary>A full 40-hex git commit id.</summary>
    [GeneratedRegex(@"\b[0-9a-f]{40}\b")]
    public static partial Regex CommitId();
}
