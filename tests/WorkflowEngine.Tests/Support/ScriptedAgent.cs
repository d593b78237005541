using WorkflowEngine.Agents;

namespace WorkflowEngine.Tests.Support;

/// <summary>A builtin agent whose replies are computed by a test function; it records what it was asked.</summary>
public sealed class ScriptedAgent(Func<AgentRequest, string> reply) : IAgent
{
    public List<AgentRequest> Requests { get; } = [];

    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        return ValueTask.FromResult(AgentReply.FromText(reply(request)));
    }
}
