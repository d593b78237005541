using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>
/// <c>parameter_builder</c>: answers <c>{"method", "params", "missing", "then"}</c> with only the parameters the request
/// states; <c>then</c> lists further calls the request asks for in order ("commit and push"), each <c>{method, params}</c>.
/// </summary>
public sealed class ParameterBuilderAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var calls = RequestInterpreter.InterpretAll(AgentInputs.RequestText(request));
        var first = calls[0];
        return AgentInputs.Reply(AgentInputs.ToJson(new Dictionary<string, object?>
        {
            ["method"] = first.Method,
            ["params"] = first.Params,
            ["missing"] = first.Missing,
            ["then"] = calls.Skip(1).Select(c => (object?)new Dictionary<string, object?> { ["method"] = c.Method, ["params"] = c.Params }).ToList(),
        }));
    }
}
