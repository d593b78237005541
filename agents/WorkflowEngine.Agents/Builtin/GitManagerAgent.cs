using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary><c>git_manager</c>: answers the JSON parameters of <c>git_operation</c> (the first operation when several are named).</summary>
public sealed class GitManagerAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = RequestInterpreter.InterpretAs(AgentInputs.RequestText(request), DaytonaMethods.GitOperation);
        return AgentInputs.Reply(AgentInputs.ToJson(call.Params));
    }
}
