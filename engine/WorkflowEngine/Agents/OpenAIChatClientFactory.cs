using System.ClientModel;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using WorkflowEngine.Definitions;
using WorkflowEngine.Hosting;

namespace WorkflowEngine.Agents;

/// <summary>
/// Creates OpenAI-compatible chat clients from the agent's <c>base_url</c> and <c>model</c> and the options'
/// <c>OPENAI_API_KEY</c> / <c>OPENAI_BASE_URL</c>. <c>agent_type: ollama</c> defaults to Ollama's local
/// OpenAI-compatible endpoint. A client registered with <c>UseChatClient</c> takes precedence.
/// </summary>
internal sealed class OpenAIChatClientFactory(IOptions<WorkflowEngineOptions> options, IServiceProvider services) : IChatClientFactory
{
    private readonly ConcurrentDictionary<(string? BaseUrl, string Model), IChatClient> _clients = new();

    public bool IsConfigured =>
        services.GetService(typeof(IChatClient)) is not null
        || !string.IsNullOrEmpty(options.Value.OpenAIApiKey)
        || !string.IsNullOrEmpty(options.Value.OpenAIBaseUrl);

    public (IChatClient? Client, string? Error) Create(AgentDefinition agent)
    {
        if (services.GetService(typeof(IChatClient)) is IChatClient registered)
        {
            return (registered, null);
        }

        var isOllama = string.Equals(agent.AgentType, "ollama", StringComparison.OrdinalIgnoreCase);
        var baseUrl = agent.BaseUrl ?? options.Value.OpenAIBaseUrl ?? (isOllama ? "http://127.0.0.1:11434/v1" : null);
        var key = options.Value.OpenAIApiKey ?? (baseUrl is not null ? "unused" : null);
        if (key is null)
        {
            return (null, $"Agent '{agent.Id}' needs an LLM endpoint: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server), or run with builtin agents.");
        }

        if (baseUrl is not null && !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            return (null, $"Agent '{agent.Id}' has base_url '{baseUrl}', which is not an absolute URL such as http://127.0.0.1:11434/v1.");
        }

        var model = agent.Model ?? options.Value.DefaultModel;
        var client = _clients.GetOrAdd((baseUrl, model), k =>
        {
            var clientOptions = new OpenAIClientOptions();
            if (k.BaseUrl is not null)
            {
                clientOptions.Endpoint = new Uri(k.BaseUrl);
            }

            return new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetChatClient(k.Model).AsIChatClient();
        });
        return (client, null);
    }
}
