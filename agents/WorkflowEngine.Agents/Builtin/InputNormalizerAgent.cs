namespace WorkflowEngine.Agents.Builtin;

/// <summary><c>input_normalizer</c>: answers with <c>user_input</c>, else <c>user_query</c>, else "No input provided".</summary>
public sealed class InputNormalizerAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AgentInputs.Reply(AgentInputs.UserText(request) ?? "No input provided");
    }
}
