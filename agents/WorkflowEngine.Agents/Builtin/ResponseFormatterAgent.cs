using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>
/// <c>response_formatter</c>: turns tool results into user-facing text per method. It formats the result in its input
/// (a JSON object), else <c>previous_output</c>, else every earlier step output that is a tool result, in step order.
/// It never adds values that are not in a result.
/// </summary>
public sealed class ResponseFormatterAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hint = AgentInputs.UserText(request) is { } user ? RequestInterpreter.Classify(user).Method : null;
        var results = FindResults(request);
        if (results.Count == 0)
        {
            return AgentInputs.Reply(string.IsNullOrWhiteSpace(request.Input) ? "There is no result to report." : request.Input.Trim());
        }

        var texts = results.Select(r => ResultFormatter.Format(ResultKind.Of(r, results.Count == 1 ? hint : null), r));
        return AgentInputs.Reply(string.Join("\n\n", texts));
    }

    private static List<Dictionary<string, object?>> FindResults(AgentRequest request)
    {
        if (AgentInputs.EmbeddedObject(request.Input) is { } input && ResultKind.IsResult(input))
        {
            return [input];
        }

        if (AgentInputs.AsObject(request.Variables.GetValueOrDefault("previous_output")) is { } previous && ResultKind.IsResult(previous))
        {
            return [previous];
        }

        return AgentInputs.StepOutputs(request)
            .Select(o => AgentInputs.AsObject(o.Output))
            .OfType<Dictionary<string, object?>>()
            .Where(ResultKind.IsResult)
            .ToList();
    }
}
