namespace WorkflowEngine.Agents;

/// <summary>A builtin agent that answers with its rendered input; handy for formatting steps and for tests.</summary>
public sealed class EchoAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(AgentReply.FromText(request.Input));
}
