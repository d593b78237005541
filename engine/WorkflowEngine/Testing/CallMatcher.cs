using WorkflowEngine.Runtime;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Testing;

/// <summary>
/// Checks planned tool calls against a case: the expected calls must appear in order; only listed parameters are
/// checked; plain values match after trimming (case-insensitively for single words); <c>{contains: ...}</c> and
/// <c>{one_of: [...]}</c> are matchers; other maps match maps holding those keys; an absent parameter is compared
/// as the method's documented default.
/// </summary>
public static class CallMatcher
{
    private static readonly Dictionary<string, Dictionary<string, object?>> Defaults = new(StringComparer.Ordinal)
    {
        ["create_sandbox"] = new(StringComparer.Ordinal) { ["language"] = "python", ["persistent"] = false },
        ["execute_code"] = new(StringComparer.Ordinal) { ["language"] = "python" },
    };

    /// <summary>Returns <see langword="null"/> when the calls match, else what was expected and what was planned.</summary>
    public static string? Mismatch(IReadOnlyList<ExpectedCall> expected, IReadOnlyList<ToolCallRecord> planned)
    {
        var position = 0;
        foreach (var call in expected)
        {
            string? closest = null;
            var found = false;
            for (; position < planned.Count; position++)
            {
                var candidate = planned[position];
                if (candidate.Method != call.Method)
                {
                    continue;
                }

                closest = ParamMismatch(call, candidate.Params);
                if (closest is null)
                {
                    found = true;
                    position++;
                    break;
                }
            }

            if (!found)
            {
                var got = planned.Count == 0 ? "no tool calls" : string.Join("; ", planned.Select(p => $"{p.Method} {PlainData.ToText(p.Params)}"));
                return $"expected {call.Method} {PlainData.ToText(call.Params)}{(closest is null ? "" : $" ({closest})")}, got {got}";
            }
        }

        return null;
    }

    private static string? ParamMismatch(ExpectedCall call, IReadOnlyDictionary<string, object?> actual)
    {
        foreach (var (name, expected) in call.Params)
        {
            var value = actual.TryGetValue(name, out var given) && given is not null
                ? given
                : Defaults.GetValueOrDefault(call.Method)?.GetValueOrDefault(name);
            if (!Matches(expected, value))
            {
                return $"{name}: expected {PlainData.ToText(expected)}, got {PlainData.ToText(value)}";
            }
        }

        return null;
    }

    /// <summary>Whether one actual value matches one expectation.</summary>
    public static bool Matches(object? expected, object? actual)
    {
        switch (expected)
        {
            case Dictionary<string, object?> matcher when matcher.Count == 1 && matcher.TryGetValue("contains", out var part):
                return PlainData.ToText(actual).Contains(PlainData.ToText(part).Trim(), StringComparison.OrdinalIgnoreCase);
            case Dictionary<string, object?> matcher when matcher.Count == 1 && matcher.TryGetValue("one_of", out var options) && options is List<object?> list:
                return list.Any(option => Matches(option, actual));
            case Dictionary<string, object?> map:
                return actual is IReadOnlyDictionary<string, object?> or IDictionary<string, object?>
                    && map.All(entry => Lookup(actual, entry.Key, out var inner) && Matches(entry.Value, inner));
            case null:
                return actual is null;
        }

        var want = PlainData.ToText(expected).Trim().Replace("\r\n", "\n", StringComparison.Ordinal);
        var have = PlainData.ToText(actual).Trim().Replace("\r\n", "\n", StringComparison.Ordinal);
        var singleWord = !want.Any(char.IsWhiteSpace);
        return string.Equals(want, have, singleWord ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static bool Lookup(object? map, string key, out object? value)
    {
        value = null;
        return map switch
        {
            IReadOnlyDictionary<string, object?> readOnly => readOnly.TryGetValue(key, out value),
            IDictionary<string, object?> dictionary => dictionary.TryGetValue(key, out value),
            _ => false,
        };
    }
}
