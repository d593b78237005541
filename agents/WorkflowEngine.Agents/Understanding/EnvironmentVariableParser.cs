using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds environment variables: <c>KEY=VALUE</c> pairs and "FOO set to bar".</summary>
internal static class EnvironmentVariableParser
{
    private static readonly Regex Pair = Rx.Create(@"(?<![\w/.-])(?<k>[A-Za-z_][A-Za-z0-9_]*)\s?=\s?(?<v>""[^""]*""|'[^']*'|[^\s,;""'`]+)");

    private static readonly Regex SetTo = Rx.Create(
        @"\b(?:variable|var|env)\s+(?<k>[A-Z_][A-Z0-9_]*)\s+(?:set\s+)?(?:to|as|equal\s+to)\s+(?<v>""[^""]*""|'[^']*'|[^\s,;]+)",
        RegexOptions.None);

    /// <summary>The variables stated in <paramref name="prose"/>, in order; later ones win.</summary>
    public static Dictionary<string, string> Parse(string prose)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pattern in new[] { Pair, SetTo })
        {
            foreach (Match m in pattern.Matches(prose))
            {
                var raw = m.Groups["v"].Value;
                var value = raw.Length >= 2 && (raw[0] == '"' || raw[0] == '\'') ? raw[1..^1] : raw.TrimEnd('.', ',', ';', ':', '!', '?', ')');
                result[m.Groups["k"].Value] = value;
            }
        }

        return result;
    }
}
