using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Hosting;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Tests.Support;

/// <summary>Builds a real engine (generated mediator, real behaviours) over inline YAML for tests.</summary>
public static class TestEngine
{
    public static ServiceProvider Build(string yaml, Action<WorkflowEngineBuilder>? configure = null, Action<WorkflowEngineOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddMediator();
        var builder = services.AddWorkflowEngine(o =>
        {
            o.AgentMode = WorkflowEngine.Agents.AgentMode.Builtin;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
            o.OpenAIApiKey = null;
            o.OpenAIBaseUrl = null;
            o.AuditLogPath = null;
            options?.Invoke(o);
        });
        builder.AddDefinitionsYaml(yaml, "test.yaml");
        configure?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    public static Task<RunResult> RunAsync(string yaml, string workflow, string userInput, Action<WorkflowEngineBuilder>? configure = null, Action<WorkflowEngineOptions>? options = null, CancellationToken cancellationToken = default)
    {
        var provider = Build(yaml, configure, options);
        return provider.GetRequiredService<IWorkflowRunner>().RunAsync(workflow, new Dictionary<string, object?> { ["user_input"] = userInput }, cancellationToken);
    }
}
