using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowEngine.Agents;
using WorkflowEngine.Hosting;

namespace WorkflowEngine.Cli;

/// <summary>Builds the engine the CLI commands use, over the given definition paths.</summary>
internal static class EngineHost
{
    /// <summary>The default definition paths: agents/, workflows/ and tools.yaml, in the current folder or else the install root.</summary>
    public static IReadOnlyList<string> DefaultPaths()
    {
        string[] names = ["agents", "workflows", "tools.yaml"];
        var roots = new[] { Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable("WFE_ROOT") }
            .Where(r => !string.IsNullOrEmpty(r)).Cast<string>();
        foreach (var root in roots)
        {
            var found = names.Select(n => Path.Combine(root, n)).Where(p => Directory.Exists(p) || File.Exists(p)).ToList();
            if (found.Count > 0)
            {
                return found.Select(p => Path.GetRelativePath(Directory.GetCurrentDirectory(), p)).ToList();
            }
        }

        return [];
    }

    public static ServiceProvider Build(IReadOnlyList<string> paths, AgentMode agentMode = AgentMode.Auto, bool dryRun = false, bool verbose = false)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.AddFilter("Microsoft", LogLevel.Warning);

            // Diagnostics go to stderr so that stdout holds only the output (and stays valid JSON with --json).
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        services.AddMediator();
        services.AddLocalSandboxes(o =>
        {
            // One run per process: a prepared spare sandbox would only be thrown away at exit.
            o.WarmPool = false;
        });

        // Registered always: backend auto picks it only when a key is set, and backend daytona without one says which variable to set.
        services.AddDaytonaSandboxes();
        services.AddWorkflowEngine(o =>
            {
                o.AgentMode = agentMode;
                o.DryRun = dryRun;
            })
            .AddDaytonaEnvironment()
            .AddDaytonaBuiltinAgents()
            .AddDefinitions([.. paths]);
        return services.BuildServiceProvider();
    }
}
