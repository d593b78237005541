using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds quoted text and commit messages, keeping them verbatim.</summary>
internal static class QuotedText
{
    private const string Quoted = @"(?:""(?<q>[^""]*)""|“(?<q>[^”]*)”|'(?<q>.+?)'(?=\s|$|[.,;:!?)])|‘(?<q>[^’]*)’|`(?<q>[^`]*)`)";

    private static readonly Regex MessageQuoted = Rx.Create(
        @"\b(?:message|msg|-m|saying|titled|described\s+as|subject|commit\s+note)\s*(?:of\s+|is\s+|as\s+|[:=]\s*)?" + Quoted, RegexOptions.Singleline);

    private static readonly Regex AnyQuoted = Rx.Create(@"(?<![\w])" + Quoted, RegexOptions.Singleline);

    private static readonly Regex MessageUnquoted = Rx.Create(
        @"\b(?:message|msg)\s*(?:of\s+|is\s+|as\s+|[:=]\s*)?(?<q>[^""'`“‘\s].*?)(?=\s+(?:and|then)\s+(?:push|pull|run|deploy)\b|\s+(?:in|on)\s+(?:sandbox|the\s+sandbox|my\s+)|[.!?]?\s*$)",
        RegexOptions.Singleline);

    /// <summary>The commit message: quoted after "message", else the only quoted text, else the words after "message".</summary>
    public static string? CommitMessage(string text)
    {
        var quoted = MessageQuoted.Match(text);
        if (quoted.Success)
        {
            return quoted.Groups["q"].Value;
        }

        var any = AnyQuoted.Matches(text);
        if (any.Count > 0)
        {
            return any[0].Groups["q"].Value;
        }

        var plain = MessageUnquoted.Match(text);
        return plain.Success ? plain.Groups["q"].Value.Trim() : null;
    }

    /// <summary>The first quoted string in <paramref name="text"/>.</summary>
    public static string? First(string text)
    {
        var m = AnyQuoted.Match(text);
        return m.Success ? m.Groups["q"].Value : null;
    }
}
