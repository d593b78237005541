using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>
/// A request split into quoted code and prose: <see cref="Masked"/> has every code span replaced by a
/// placeholder, <see cref="Normalized"/> is the lower-case prose with URLs and sandbox ids replaced by tokens.
/// </summary>
internal sealed class RequestText
{
    private static readonly Regex Spans = Rx.Create(
        @"(?<fence>```(?<info>[^\n`]*)\r?\n(?<fbody>.*?)(?:\r?\n)?[ \t]*(?:```|\z))|```(?<ibody>[^\n]+?)```|``(?<dbody>[^\n]+?)``|`(?<bbody>[^`\n]+)`",
        RegexOptions.Singleline);

    private RequestText(string original, string masked, IReadOnlyList<CodeSpan> spans)
    {
        Original = original;
        Masked = masked;
        CodeSpans = spans;
        Prose = Patterns.Url.Replace(masked, " ");
        Normalized = Patterns.SandboxId.Replace(Patterns.Url.Replace(masked, " urltoken "), " sandboxid ").ToLowerInvariant()
            .Replace('’', '\'');
    }

    /// <summary>The request as given.</summary>
    public string Original { get; }

    /// <summary>The request with code spans replaced by placeholders.</summary>
    public string Masked { get; }

    /// <summary>The masked request without URLs, original case.</summary>
    public string Prose { get; }

    /// <summary>Lower-case masked text, URLs as <c>urltoken</c>, sandbox ids as <c>sandboxid</c>.</summary>
    public string Normalized { get; }

    /// <summary>The code spans in order of appearance.</summary>
    public IReadOnlyList<CodeSpan> CodeSpans { get; }

    /// <summary>The placeholder for span <paramref name="index"/>.</summary>
    public static string PlaceholderFor(int index) => $"\u27E6{index}\u27E7";

    /// <summary>Splits a request into code spans and prose.</summary>
    public static RequestText Parse(string request)
    {
        var spans = new List<CodeSpan>();
        var masked = Spans.Replace(request, m =>
        {
            CodeSpan span;
            if (m.Groups["fence"].Success)
            {
                var info = m.Groups["info"].Value.Trim();
                span = new CodeSpan(m.Groups["fbody"].Value.TrimEnd('\r', '\n'), true, info.Length == 0 ? null : info, spans.Count);
            }
            else
            {
                var body = m.Groups["ibody"].Success ? m.Groups["ibody"].Value
                    : m.Groups["dbody"].Success ? m.Groups["dbody"].Value.Trim()
                    : m.Groups["bbody"].Value;
                span = new CodeSpan(body, m.Groups["ibody"].Success, null, spans.Count);
            }

            spans.Add(span);
            return span.Placeholder;
        });
        return new RequestText(request, masked, spans);
    }

    /// <summary>Puts code spans back into a piece of masked text.</summary>
    public string Restore(string maskedPart)
    {
        var result = maskedPart;
        foreach (var span in CodeSpans)
        {
            result = result.Replace(span.Placeholder, span.Text, StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>Whether the normalized text matches.</summary>
    public bool Has(Regex pattern) => pattern.IsMatch(Normalized);
}
