using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds the sandbox a request refers to: an id, a name, or "my environment".</summary>
internal static class SandboxTargetExtractor
{
    private const string Name = @"[""'`“‘]?(?<n>[A-Za-z0-9][\w.-]*[A-Za-z0-9_]|[A-Za-z0-9])[""'`”’]?";

    private static readonly Regex ExplicitId = Rx.Create(@"\b(?:id|identifier)\b\s*(?:of\s+|is\s+|[:=#]\s*)?[""'`]?(?<n>[a-z0-9][\w-]{2,})");

    private static readonly Regex NamedAfterNoun = Rx.Create(
        Patterns.EnvNoun + @"\s+(?:that\s+is\s+|which\s+is\s+|that's\s+)?(?:named|called)\s+" + Name);

    private static readonly Regex NamedAnywhere = Rx.Create(@"\b(?:named|called)\s+" + Name);

    private static readonly Regex QuotedAfterNoun = Rx.Create(@"\b" + Patterns.EnvNoun + @"\s+[""'`“‘](?<n>[^""'`”’\s]+)[""'`”’]");

    private static readonly Regex HyphenatedBeforeNoun = Rx.Create(@"\b(?:the|my|our)\s+(?<n>[a-z0-9]+(?:[-_][a-z0-9]+)+)\s+" + Patterns.EnvNoun + @"\b");

    private static readonly Regex HyphenatedAfterNoun = Rx.Create(@"\b" + Patterns.EnvNoun + @"\s+(?<n>[a-z0-9]+(?:[-_][a-z0-9]+)+)\b");

    // "in sandbox alpha", "on the sandbox api": a plain one-word name right after the noun.
    private static readonly Regex PlainAfterNoun = Rx.Create(@"\b(?:in|on|inside|into|from|of|to|for)\s+(?:the\s+)?(?:sandbox|workspace|devbox|box)\s+(?<n>[a-z0-9][\w.-]*[a-z0-9_]|[a-z0-9])\b");

    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "named", "called", "with", "and", "for", "that", "which", "please", "now", "first", "then", "too", "also", "id", "identifier",
        "using", "running", "where", "when", "so", "as", "is", "was", "it", "environment", "environments", "variables", "vars", "files",
    };

    private static readonly Regex NotForSandbox = Rx.Create(@"\b(?:branch|file|folder|directory|dir|repo|repository|script|variable|image|commit|tag)\s+$");

    private static readonly Regex Current = Rx.Create(
        @"\b(?:my|the|this|our|current|that|your|same)\s+(?:[\w.-]+\s+){0,2}?(?:sandbox|environment|env|workspace|project|container|dev\s?box|devbox|repo|repository|instance|vm)\b");

    /// <summary>The sandbox <paramref name="text"/> refers to.</summary>
    public static SandboxTarget Find(RequestText text)
    {
        var id = Patterns.SandboxId.Match(text.Masked);
        if (id.Success)
        {
            return new SandboxTarget(SandboxReference.Id, id.Value);
        }

        var explicitId = Patterns.FirstGroup(ExplicitId, text.Prose, "n", v => !Patterns.StopWords.Contains(v));
        if (explicitId is not null)
        {
            return new SandboxTarget(SandboxReference.Id, explicitId);
        }

        var name = FindName(text.Prose);
        if (name is not null)
        {
            return new SandboxTarget(SandboxReference.Name, name);
        }

        return Current.IsMatch(text.Normalized) ? new SandboxTarget(SandboxReference.Current, null) : SandboxTarget.None;
    }

    /// <summary>The name of an existing sandbox, when the prose gives one.</summary>
    public static string? FindName(string prose)
    {
        bool Accept(string v) => !Patterns.StopWords.Contains(v);
        var name = Patterns.FirstGroup(NamedAfterNoun, prose, "n", Accept)
            ?? Patterns.FirstGroup(QuotedAfterNoun, prose, "n", Accept);
        if (name is not null)
        {
            return name;
        }

        foreach (Match m in NamedAnywhere.Matches(prose))
        {
            var value = Rx.TrimToken(m.Groups["n"].Value);
            if (value.Length > 0 && Accept(value) && !NotForSandbox.IsMatch(prose[..m.Index]))
            {
                return value;
            }
        }

        return Patterns.FirstGroup(HyphenatedBeforeNoun, prose, "n", Accept)
            ?? Patterns.FirstGroup(HyphenatedAfterNoun, prose, "n", v => Accept(v) && !v.StartsWith("sandbox-", StringComparison.OrdinalIgnoreCase))
            ?? Patterns.FirstGroup(PlainAfterNoun, prose, "n", v => Accept(v) && !NotNames.Contains(v) && !v.StartsWith("sandbox-", StringComparison.OrdinalIgnoreCase));
    }
}
