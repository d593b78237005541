using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary><c>file_manager</c>: answers the JSON parameters of <c>file_operation</c>.</summary>
public sealed class FileManagerAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = RequestInterpreter.InterpretAs(AgentInputs.RequestText(request), DaytonaMethods.FileOperation);
        return AgentInputs.Reply(AgentInputs.ToJson(call.Params));
    }
}
