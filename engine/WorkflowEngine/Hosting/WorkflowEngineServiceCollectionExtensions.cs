using Mediator;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WorkflowEngine.Agents;
using WorkflowEngine.Hosting;
using WorkflowEngine.Runtime;
using WorkflowEngine.Runtime.Behaviors;
using WorkflowEngine.Templating;
using WorkflowEngine.Tools;
using WorkflowEngine.Validation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the workflow engine.</summary>
public static class WorkflowEngineServiceCollectionExtensions
{
    private static readonly Type[] StepRequestTypes =
        [typeof(AgentStepRequest), typeof(ToolStepRequest), typeof(FunctionStepRequest), typeof(WorkflowStepRequest)];

    // Order matters: the first registered behaviour is the outermost.
    private static readonly Type[] StepBehaviorTypes =
        [typeof(StepLoggingBehavior<>), typeof(StepTracingBehavior<>), typeof(StepTimingBehavior<>), typeof(StepResilienceBehavior<>)];

    /// <summary>
    /// Adds the engine: <see cref="IWorkflowRunner"/>, the step handlers' services and the pipeline behaviours.
    /// The app must also call <c>services.AddMediator()</c> from a project that references
    /// <c>Mediator.SourceGenerator</c>, which generates the dispatcher for the engine's and the tools' handlers.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options; they are validated when the engine is first resolved.</param>
    public static WorkflowEngineBuilder AddWorkflowEngine(this IServiceCollection services, Action<WorkflowEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WorkflowEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowEngineOptions>, WorkflowEngineOptionsValidator>());

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TemplateRenderer>();
        services.TryAddSingleton<DefinitionValidator>();
        services.TryAddSingleton<IDefinitionCatalog, DefinitionCatalog>();
        services.TryAddSingleton<IToolCatalog, ToolCatalog>();
        services.TryAddSingleton<IChatClientFactory, OpenAIChatClientFactory>();
        services.TryAddSingleton<IAgentResolver, AgentResolver>();
        services.TryAddSingleton<WorkflowExecutor>();
        services.TryAddSingleton<IWorkflowRunner, WorkflowRunner>();
        services.AddSingleton(new BuiltinAgentRegistration("echo", _ => new EchoAgent()));

        foreach (var behavior in StepBehaviorTypes)
        {
            foreach (var request in StepRequestTypes)
            {
                services.AddSingleton(
                    typeof(IPipelineBehavior<,>).MakeGenericType(request, typeof(StepOutcome)),
                    behavior.MakeGenericType(request));
            }
        }

        // Outermost first: every call is recorded and audited, refused ones included.
        services.AddSingleton<IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>, ToolCallRecordingBehavior>();
        services.AddSingleton<IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>, ToolAuditBehavior>();
        services.AddSingleton<IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>, ToolPermissionBehavior>();
        services.AddSingleton<IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>, ToolParameterValidationBehavior>();
        return new WorkflowEngineBuilder(services);
    }
}
