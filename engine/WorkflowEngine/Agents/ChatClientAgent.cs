using Microsoft.Extensions.AI;

namespace WorkflowEngine.Agents;

/// <summary>An LLM agent: sends the system prompt and the input to an <see cref="IChatClient"/>.</summary>
public sealed class ChatClientAgent(IChatClient client) : IAgent
{
    /// <inheritdoc />
    public async ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> messages = [];
        if (!string.IsNullOrWhiteSpace(request.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, request.SystemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, request.Input));
        var chatOptions = new ChatOptions
        {
            ModelId = request.Agent.Model,
            Temperature = request.Agent.Temperature is { } t ? (float)t : null,
            MaxOutputTokens = request.Agent.MaxTokens,
        };

        try
        {
            var response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
            return AgentReply.FromText(response.Text);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.ClientModel.ClientResultException or InvalidOperationException)
        {
            return AgentReply.Failure($"The LLM call for agent '{request.Agent.Id}' failed: {ex.Message}. Check OPENAI_BASE_URL, OPENAI_API_KEY and the model name.");
        }
    }
}
