namespace WorkflowEngine.Agents;

/// <summary>Something that answers a prompt: a builtin implementation in code, or an LLM.</summary>
public interface IAgent
{
    /// <summary>Answers one request.</summary>
    /// <param name="request">The rendered system prompt and input.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default);
}
