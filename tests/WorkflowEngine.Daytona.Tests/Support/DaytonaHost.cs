using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Hosting;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Daytona.Tests.Support;

/// <summary>
/// A real engine with the <c>daytona_environment</c> tool over the local provider, in its own temporary folder
/// (sandbox data, sessions, audit log and a <c>local</c> folder for uploads and downloads).
/// </summary>
public sealed class DaytonaHost : IAsyncDisposable
{
    private DaytonaHost(string root, ServiceProvider services)
    {
        Root = root;
        Services = services;
    }

    /// <summary>The temporary folder holding everything of this host.</summary>
    public string Root { get; }

    /// <summary>The local provider's data folder.</summary>
    public string SandboxData => Path.Combine(Root, "sandboxes");

    /// <summary>Where the tool keeps sessions.</summary>
    public string SessionData => Path.Combine(Root, "sessions");

    /// <summary>The audit log.</summary>
    public string AuditLogPath => Path.Combine(Root, "audit.jsonl");

    /// <summary>A host folder for uploads and downloads (the <c>{LOCAL_ROOT}</c> placeholder in tool config).</summary>
    public string LocalRoot => Path.Combine(Root, "local");

    /// <summary>The engine's services.</summary>
    public ServiceProvider Services { get; }

    /// <summary>The local provider.</summary>
    public LocalSandboxProvider Provider => Services.GetRequiredService<LocalSandboxProvider>();

    /// <summary>
    /// Builds a host whose workflow <c>flow</c> has the given steps (YAML, starting at column 0; <c>{LOCAL_ROOT}</c> is replaced too).
    /// <paramref name="toolEntry"/> are extra YAML lines of the <c>daytona_environment</c> entry in <c>tools:</c>
    /// (such as <c>config:</c>), at column 0; <c>{LOCAL_ROOT}</c> is replaced by <see cref="LocalRoot"/>. Without it,
    /// there is no <c>tools:</c> section. <paramref name="sandboxes"/> changes the local provider's options.
    /// </summary>
    public static DaytonaHost Create(string steps, string? toolEntry = null, Action<WorkflowEngineOptions>? options = null, Action<LocalSandboxOptions>? sandboxes = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "wfe-daytona-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(Path.Combine(root, "local"));
        var yaml = new StringBuilder();
        if (toolEntry is not null)
        {
            yaml.AppendLine("tools:");
            yaml.AppendLine("  - id: daytona_environment");
            yaml.AppendLine("    type: daytona_environment");
            yaml.Append(Indent(toolEntry.Replace("{LOCAL_ROOT}", Path.Combine(root, "local"), StringComparison.Ordinal), 4));
        }

        yaml.AppendLine("workflows:");
        yaml.AppendLine("  main_workflow:");
        yaml.AppendLine("    - id: flow");
        yaml.AppendLine("      steps:");
        yaml.Append(Indent(steps.Replace("{LOCAL_ROOT}", Path.Combine(root, "local"), StringComparison.Ordinal), 8));

        var services = new ServiceCollection();
        services.AddMediator();
        services.AddLocalSandboxes(o =>
        {
            o.DataDirectory = Path.Combine(root, "sandboxes");
            o.WarmPool = false;

            // Host repositories of the git tests live in this folder; the tool's config.git_roots narrows it.
            o.GitRoots = [root];
            sandboxes?.Invoke(o);
        });
        services.AddWorkflowEngine(o =>
            {
                o.AgentMode = AgentMode.Builtin;
                o.AuditLogPath = Path.Combine(root, "audit.jsonl");
                o.OpenAIApiKey = null;
                o.OpenAIBaseUrl = null;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
                o.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
                options?.Invoke(o);
            })
            .AddDaytonaEnvironment(Path.Combine(root, "sessions"))
            .AddDefinitionsYaml(yaml.ToString(), "test.yaml");
        return new DaytonaHost(root, services.BuildServiceProvider());
    }

    /// <summary>Runs <c>flow</c> with <c>user_input</c> "go" and the given inputs.</summary>
    public Task<RunResult> RunAsync(IReadOnlyDictionary<string, object?>? inputs = null)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["user_input"] = "go" };
        foreach (var (key, value) in inputs ?? new Dictionary<string, object?>())
        {
            all[key] = value;
        }

        return Services.GetRequiredService<IWorkflowRunner>().RunAsync("flow", all);
    }

    /// <summary>Runs <c>flow</c> and fails the test unless the run succeeded.</summary>
    public async Task<RunResult> RunSucceededAsync(IReadOnlyDictionary<string, object?>? inputs = null)
    {
        var result = await RunAsync(inputs);
        Assert.True(result.Succeeded, $"The run failed: {result.Error} {string.Join("; ", result.Diagnostics)}");
        return result;
    }

    /// <summary>The output of a step: the tool's result object.</summary>
    public static Dictionary<string, object?> Output(RunResult result, string stepId) =>
        Assert.IsType<Dictionary<string, object?>>(result.Steps.Last(s => s.Id == stepId).Output);

    /// <summary>The sandboxes the provider has.</summary>
    public async Task<IReadOnlyList<SandboxInfo>> SandboxesAsync()
    {
        var listed = await Provider.ListAsync();
        Assert.True(listed.Succeeded, listed.Succeeded ? "" : listed.Error.ToString());
        return listed.Value;
    }

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
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
    }

    private static string Indent(string text, int spaces)
    {
        var pad = new string(' ', spaces);
        var builder = new StringBuilder();
        foreach (var line in text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            builder.Append(line.Length == 0 ? "" : pad + line).Append('\n');
        }

        return builder.ToString();
    }
}
