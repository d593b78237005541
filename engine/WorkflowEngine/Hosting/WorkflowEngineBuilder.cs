using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Definitions;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Hosting;

/// <summary>Adds definitions, tools and agents to the engine; returned by <c>AddWorkflowEngine</c>.</summary>
public sealed class WorkflowEngineBuilder
{
    internal WorkflowEngineBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for further registrations.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds definition files and folders (agents.yaml, workflows.yaml, tools.yaml).</summary>
    public WorkflowEngineBuilder AddDefinitions(params string[] paths)
    {
        Services.AddSingleton(new DefinitionSource(loader => loader.LoadPaths(paths)));
        return this;
    }

    /// <summary>Adds definitions from YAML text; <paramref name="fileName"/> appears in error positions.</summary>
    public WorkflowEngineBuilder AddDefinitionsYaml(string yaml, string fileName = "<inline>.yaml")
    {
        Services.AddSingleton(new DefinitionSource(loader => loader.LoadYaml(yaml, fileName)));
        return this;
    }

    /// <summary>Adds definitions built in code.</summary>
    public WorkflowEngineBuilder AddDefinitions(DefinitionSet definitions)
    {
        Services.AddSingleton(new DefinitionSource(_ => definitions));
        return this;
    }

    /// <summary>Registers a builtin agent, found by agent id or by an agent's <c>builtin:</c> field.</summary>
    public WorkflowEngineBuilder AddBuiltinAgent(string name, IAgent agent)
    {
        Services.AddSingleton(new BuiltinAgentRegistration(name, _ => agent));
        return this;
    }

    /// <summary>Registers a builtin agent created from the container.</summary>
    public WorkflowEngineBuilder AddBuiltinAgent<TAgent>(string name)
        where TAgent : class, IAgent
    {
        Services.AddSingleton<TAgent>();
        Services.AddSingleton(new BuiltinAgentRegistration(name, sp => sp.GetRequiredService<TAgent>()));
        return this;
    }

    /// <summary>Registers a tool; describe its typed methods in <paramref name="configure"/>.</summary>
    public WorkflowEngineBuilder AddTool(string name, Action<ToolBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var tool = new ToolBuilder(name);
        configure(tool);
        Services.AddSingleton(tool.Build());
        return this;
    }

    /// <summary>Uses this chat client for every LLM agent (a test double, a local model, a decorated client…).</summary>
    public WorkflowEngineBuilder UseChatClient(IChatClient client)
    {
        Services.AddSingleton(client);
        return this;
    }
}
