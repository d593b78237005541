using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds the code a request quotes: a fence, a backtick span, or the text after a colon.</summary>
internal static class CodeExtractor
{
    private static readonly Regex ColonHead = Rx.Create(
        @"\b(?:run|execute|exec|evaluate|eval|test|try|code|script|snippet|program|this|following|below|statement|expression|command)\b");

    private static readonly Regex CodeNoun = Rx.Create(@"\b(?:code|script|snippet|program|statement|expression)\s+(?<c>.+?)(?=\s+(?:in|on|inside)\s+(?:the\s+|my\s+|sandbox)|\s*$)", RegexOptions.Singleline);

    private static readonly Regex LooksLikeCode = Rx.Create(@"[()=;{}\[\]]|\b(?:import|print|def|return|console|echo)\b");

    /// <summary>The code after the first colon that follows a run verb or a word for code; <see langword="null"/> when there is none.</summary>
    public static string? AfterColon(string text)
    {
        for (var i = text.IndexOf(':'); i >= 0; i = text.IndexOf(':', i + 1))
        {
            if (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                continue;
            }

            var tail = text[(i + 1)..].Trim();
            if (tail.Length > 0 && ColonHead.IsMatch(text[..i]))
            {
                return tail;
            }
        }

        return null;
    }

    /// <summary>Unquoted code after "the code …" when it looks like code.</summary>
    public static string? AfterCodeNoun(string text)
    {
        var m = CodeNoun.Match(text);
        if (!m.Success)
        {
            return null;
        }

        var code = m.Groups["c"].Value.Trim();
        return LooksLikeCode.IsMatch(code) ? code : null;
    }

    /// <summary>The span that holds the program: the first fence, else the first backtick span.</summary>
    public static CodeSpan? MainSpan(RequestText text) => text.CodeSpans.FirstOrDefault(s => s.Fenced) ?? text.CodeSpans.FirstOrDefault();

    /// <summary>The quoted code, or the text after a colon; with its span when it came from one.</summary>
    public static (string? Code, CodeSpan? Span) Find(RequestText text)
    {
        var span = MainSpan(text);
        if (span is not null)
        {
            return (span.Text, span);
        }

        return (AfterColon(text.Original) ?? AfterCodeNoun(text.Original), null);
    }
}
