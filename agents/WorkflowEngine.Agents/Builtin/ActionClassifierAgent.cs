using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary><c>action_classifier</c>: answers <c>{"action": "&lt;method&gt;", "confidence": 0.0-1.0}</c>.</summary>
public sealed class ActionClassifierAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (method, confidence) = RequestInterpreter.Classify(AgentInputs.RequestText(request));
        return AgentInputs.Reply(AgentInputs.ToJson(new Dictionary<string, object?> { ["action"] = method, ["confidence"] = confidence }));
    }
}
