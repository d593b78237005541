using Microsoft.Extensions.Options;
using WorkflowEngine.Definitions;
using WorkflowEngine.Hosting;

namespace WorkflowEngine.Agents;

/// <summary>Maps agent definitions to builtin implementations or LLM agents according to <see cref="AgentMode"/>.</summary>
internal sealed class AgentResolver(
    IEnumerable<BuiltinAgentRegistration> builtins,
    IChatClientFactory chatClients,
    IOptions<WorkflowEngineOptions> options,
    IServiceProvider services) : IAgentResolver
{
    private readonly Dictionary<string, BuiltinAgentRegistration> _builtins =
        builtins.GroupBy(b => b.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public AgentResolution Resolve(AgentDefinition agent)
    {
        var builtinName = agent.Builtin ?? agent.Id;
        _builtins.TryGetValue(builtinName, out var builtin);
        var mode = options.Value.AgentMode;
        var useLlm = agent.IsLlm && (mode == AgentMode.Llm || (mode == AgentMode.Auto && (chatClients.IsConfigured || builtin is null)));
        if (!useLlm)
        {
            return builtin is not null
                ? new AgentResolution(builtin.Factory(services), null)
                : new AgentResolution(null, $"Agent '{agent.Id}' has no builtin implementation named '{builtinName}'. Register one with AddBuiltinAgent(\"{builtinName}\", ...)"
                    + (agent.IsLlm ? ", or use LLM agents (--agents llm with OPENAI_API_KEY or OPENAI_BASE_URL set)." : $", or give it an LLM agent_type such as openai.{Validation.Suggestions.DidYouMean(builtinName, _builtins.Keys)}"));
        }

        var (client, error) = chatClients.Create(agent);
        return client is null ? new AgentResolution(null, error) : new AgentResolution(new ChatClientAgent(client), null);
    }
}
