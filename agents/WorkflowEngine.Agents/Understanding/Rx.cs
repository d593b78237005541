using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Regex construction with the options every pattern here shares.</summary>
internal static class Rx
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>A case-insensitive, culture-invariant pattern with a match timeout.</summary>
    public static Regex Create(string pattern, RegexOptions extra = RegexOptions.None) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | extra, Timeout);

    /// <summary>Trims the punctuation that ends a sentence or a clause from a token.</summary>
    public static string TrimToken(string value) => value.Trim().TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"', '`').TrimStart('(', '[', '\'', '"', '`');

    /// <summary>Removes one pair of matching quotes around a value.</summary>
    public static string Unquote(string value)
    {
        var v = value.Trim();
        if (v.Length >= 2 && (v[0] == '"' || v[0] == '\'' || v[0] == '`') && v[^1] == v[0])
        {
            return v[1..^1];
        }

        if (v.Length >= 2 && ((v[0] == '“' && v[^1] == '”') || (v[0] == '‘' && v[^1] == '’')))
        {
            return v[1..^1];
        }

        return v;
    }
}
