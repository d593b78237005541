using System.Text.Json;
using System.Text.RegularExpressions;
using WorkflowEngine.Agents.Understanding;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>
/// <c>response_formatter</c>: turns tool results into user-facing text per method. It formats the result in its input
/// (a JSON object), else <c>previous_output</c>, else every earlier step output that is a tool result, in step order.
/// It never adds values that are not in a result. The method is the one an <c>Action performed: &lt;method&gt;</c> line of the
/// input names, else the one the request reads as; an <c>Operation result:</c> that is a list (one result per item of a
/// <c>for_each</c> step) is formatted item by item.
/// </summary>
public sealed partial class ResponseFormatterAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hint = ActionPerformed(request.Input)
            ?? (AgentInputs.UserText(request) is { } user ? RequestInterpreter.Classify(user).Method : null);
        var list = OperationResultList(request.Input);
        var results = list ?? FindResults(request);
        if (results.Count == 0)
        {
            return AgentInputs.Reply(string.IsNullOrWhiteSpace(request.Input) ? "There is no result to report." : request.Input.Trim());
        }

        // The hint holds for a single result, and for each result of one for_each step.
        var texts = results.Select(r => ResultFormatter.Format(ResultKind.Of(r, list is not null || results.Count == 1 ? hint : null), r));
        return AgentInputs.Reply(string.Join(list is null ? "\n\n" : "\n", texts));
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

    /// <summary>The method an <c>Action performed: &lt;method&gt;</c> line names, when it is one of the eight.</summary>
    private static string? ActionPerformed(string? input) =>
        input is not null && ActionLine().Match(input) is { Success: true } m && DaytonaMethods.All.Contains(m.Groups["m"].Value) ? m.Groups["m"].Value : null;

    /// <summary>The results of an <c>Operation result:</c> line that holds a non-empty JSON list of results.</summary>
    private static List<Dictionary<string, object?>>? OperationResultList(string? input)
    {
        if (input is null || ResultListLine().Match(input) is not { Success: true } m)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(m.Groups["list"].Value);
            var items = (PlainData.FromJson(document.RootElement) as IEnumerable<object?> ?? []).Select(AgentInputs.AsObject).ToList();
            return items.Count > 0 && items.All(i => i is not null && ResultKind.IsResult(i)) ? items.Cast<Dictionary<string, object?>>().ToList() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s*Action performed:\s*(?<m>[a-z_]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ActionLine();

    [GeneratedRegex(@"^\s*Operation result:\s*(?<list>\[.*\])\s*$", RegexOptions.Multiline)]
    private static partial Regex ResultListLine();
}
