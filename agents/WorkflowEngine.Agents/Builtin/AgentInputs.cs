using System.Text.Json;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>What builtin agents read from a request: the user's text, earlier step outputs, JSON replies.</summary>
internal static class AgentInputs
{
    private static readonly JsonSerializerOptions Json = new(PlainData.JsonOptions) { WriteIndented = false };

    /// <summary><c>user_input</c>, else <c>user_query</c>, else <see langword="null"/>.</summary>
    public static string? UserText(AgentRequest request) => Text(request, "user_input") ?? Text(request, "user_query");

    /// <summary>The request to understand: <c>user_input</c>, else <c>user_query</c>, else the step input.</summary>
    public static string RequestText(AgentRequest request) => UserText(request) ?? request.Input ?? "";

    /// <summary>The outputs of earlier steps, in step order, skipping steps that have not run.</summary>
    public static IReadOnlyList<(string Step, object Output)> StepOutputs(AgentRequest request)
    {
        var result = new List<(string, object)>();
        if (request.Variables.TryGetValue("steps", out var steps) && steps is IEnumerable<KeyValuePair<string, object?>> entries)
        {
            foreach (var (id, entry) in entries)
            {
                if (entry is IReadOnlyDictionary<string, object?> map && map.TryGetValue("output", out var output) && output is not null)
                {
                    result.Add((id, output));
                }
                else if (entry is IDictionary<string, object?> dict && dict.TryGetValue("output", out var o) && o is not null)
                {
                    result.Add((id, o));
                }
            }
        }

        return result;
    }

    /// <summary>A variable as a dictionary: a dictionary value, or text that is a JSON object.</summary>
    public static Dictionary<string, object?>? AsObject(object? value) => value switch
    {
        Dictionary<string, object?> d => d,
        IReadOnlyDictionary<string, object?> r => r.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
        string s => PlainData.TryParseObject(s),
        _ => null,
    };

    /// <summary>The first JSON object embedded in text ("Operation result: {...}"), or the whole text when it is one.</summary>
    public static Dictionary<string, object?>? EmbeddedObject(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (PlainData.TryParseObject(text) is { } whole)
        {
            return whole;
        }

        for (var start = text.IndexOf('{'); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var depth = 0;
            var inString = false;
            for (var i = start; i < text.Length; i++)
            {
                var c = text[i];
                if (inString)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }
                }
                else if (c == '"')
                {
                    inString = true;
                }
                else if (c == '{')
                {
                    depth++;
                }
                else if (c == '}' && --depth == 0)
                {
                    if (PlainData.TryParseObject(text[start..(i + 1)]) is { } found)
                    {
                        return found;
                    }

                    break;
                }
            }
        }

        return null;
    }

    /// <summary>Serializes plain data as compact JSON with relaxed escaping.</summary>
    public static string ToJson(object? value) => JsonSerializer.Serialize(value, Json);

    /// <summary>A finished reply.</summary>
    public static ValueTask<AgentReply> Reply(string text) => ValueTask.FromResult(AgentReply.FromText(text));

    private static string? Text(AgentRequest request, string name) =>
        request.Variables.TryGetValue(name, out var value) && value is not null && value.ToString() is { } s && !string.IsNullOrWhiteSpace(s) ? s : null;
}
