using System.Collections;
using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Tests.Support;

/// <summary>
/// The matching rules of intents.yaml: only expected params are compared; plain values are equal after trimming
/// (case-insensitively for single words); <c>{contains: x}</c>, <c>{one_of: [..]}</c>; other maps match maps holding
/// those keys; an absent param compares as the method's documented default.
/// </summary>
public static class IntentMatcher
{
    private static readonly Dictionary<(string Method, string Param), object> Defaults = new()
    {
        [(DaytonaMethods.CreateSandbox, "language")] = "python",
        [(DaytonaMethods.CreateSandbox, "persistent")] = false,
        [(DaytonaMethods.ExecuteCode, "language")] = "python",
    };

    /// <summary>Why the planned calls do not match; <see langword="null"/> when they do.</summary>
    public static string? Mismatch(IntentCase intent, IReadOnlyList<PlannedCall> planned)
    {
        if (planned.Count < intent.Calls.Count)
        {
            return $"expected {intent.Calls.Count} call(s), planned {planned.Count}: {Describe(planned)}";
        }

        for (var i = 0; i < intent.Calls.Count; i++)
        {
            var expected = intent.Calls[i];
            var actual = planned[i];
            if (actual.Method != expected.Method)
            {
                return $"call {i}: expected {expected.Method}, planned {Describe(planned)}";
            }

            foreach (var (name, value) in expected.Params)
            {
                actual.Params.TryGetValue(name, out var got);
                got ??= Defaults.GetValueOrDefault((actual.Method, name));
                if (!Matches(value, got))
                {
                    return $"call {i} {actual.Method}: param '{name}' expected {Show(value)}, got {Show(got)}";
                }
            }
        }

        return null;
    }

    public static bool Matches(object? expected, object? actual)
    {
        if (expected is Dictionary<object, object?> map)
        {
            if (map.Count == 1 && map.TryGetValue("contains", out var part))
            {
                return actual is string s && s.Contains(part?.ToString()?.Trim() ?? "", StringComparison.OrdinalIgnoreCase);
            }

            if (map.Count == 1 && map.TryGetValue("one_of", out var options) && options is IEnumerable list)
            {
                return list.Cast<object?>().Any(o => Matches(o, actual));
            }

            if (actual is not IDictionary actualMap)
            {
                return false;
            }

            return map.All(e => actualMap.Contains(e.Key.ToString()!) && Matches(e.Value, actualMap[e.Key.ToString()!]));
        }

        var want = expected?.ToString()?.Trim() ?? "";
        var have = actual switch
        {
            null => "",
            bool b => b ? "true" : "false",
            _ => actual.ToString()!.Trim(),
        };
        var singleWord = !want.Any(char.IsWhiteSpace);
        return string.Equals(want, have, singleWord ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    public static string Describe(IReadOnlyList<PlannedCall> planned) =>
        string.Join(" | ", planned.Select(c => $"{c.Method} {System.Text.Json.JsonSerializer.Serialize(c.Params)}"));

    private static string Show(object? value) => value switch
    {
        null => "(absent)",
        Dictionary<object, object?> map => "{" + string.Join(", ", map.Select(e => $"{e.Key}: {Show(e.Value)}")) + "}",
        IDictionary<string, string> d => "{" + string.Join(", ", d.Select(e => $"{e.Key}: {e.Value}")) + "}",
        _ => $"'{value}'",
    };
}
