using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Extracts <c>create_sandbox</c> parameters.</summary>
internal static class CreateParameterExtractor
{
    private static readonly Regex NameIt = Rx.Create(
        @"\b(?:named|called|name\s+it|name\s+it\s+as|call\s+it|with\s+(?:the\s+)?name|name\s*[:=])\s*[""'`“‘]?(?<n>[A-Za-z0-9][\w.-]*[A-Za-z0-9_]|[A-Za-z0-9])");

    private static readonly Regex NotForSandbox = Rx.Create(@"\b(?:branch|file|folder|directory|dir|repo|repository|script|variable|commit|tag)\s+$");

    private static readonly Regex Image = Rx.Create(@"\b(?:docker\s+)?image\s*(?:of\s+|is\s+|[:=]\s*)?[""'`]?(?<i>[a-z0-9][\w.-]*(?:/[\w.-]+)*(?::[\w.-]+)?(?:@sha256:[0-9a-f]+)?)");

    private static readonly Regex ImageLike = Rx.Create(@"(?<![\w/.:-])(?<i>[a-z][\w.-]*(?:/[\w.-]+)*:[a-z0-9][\w.-]*)(?![\w/:])");

    private static readonly Regex Persistent = Rx.Create(
        @"\b(?<!non-)(?<!non\s)persist(?:ent|ence|ing|s)?\b|\bkeep\s+(?:it|the\s+(?:sandbox|environment|workspace)|this\s+(?:sandbox|environment))(?:\s+(?:around|alive|running))?\b|\blong[-\s]lived\b|\bpermanent\b|\bdon'?t\s+(?:delete|remove)\b|\bdo\s+not\s+(?:delete|remove)\b");

    private static readonly Regex NotPersistent = Rx.Create(
        @"\bnon[-\s]?persistent\b|\bnot\s+persistent\b|\btemporary\b|\bephemeral\b|\bthrow[-\s]?away\b|\bdisposable\b|\bshort[-\s]lived\b");

    private static readonly HashSet<string> NotImages = new(StringComparer.OrdinalIgnoreCase) { "support", "with", "and", "for", "the", "a", "an", "named", "called" };

    /// <summary>The parameters a create request states.</summary>
    public static Dictionary<string, object?> Extract(RequestText text)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var language = LanguageDetector.Stated(text.Prose);
        if (language is not null)
        {
            result["language"] = language;
        }

        var image = FindImage(text.Prose);
        if (image is not null)
        {
            result["image"] = image;
        }

        var name = FindName(text.Prose);
        if (name is not null)
        {
            result["name"] = name;
        }

        var repo = RepositoryExtractor.Url(text);
        if (repo is not null)
        {
            result["git_repo"] = repo;
        }

        var branch = RepositoryExtractor.Branch(text.Prose);
        if (branch is not null)
        {
            result["git_branch"] = branch;
        }

        var variables = EnvironmentVariableParser.Parse(text.Masked);
        if (variables.Count > 0)
        {
            result["environment_vars"] = variables;
        }

        var persistent = FindPersistence(text.Normalized);
        if (persistent is not null)
        {
            result["persistent"] = persistent.Value;
        }

        return result;
    }

    /// <summary>The name a create request gives the new sandbox.</summary>
    public static string? FindName(string prose)
    {
        foreach (Match m in NameIt.Matches(prose))
        {
            var value = Rx.TrimToken(m.Groups["n"].Value);
            if (value.Length > 0 && !Patterns.StopWords.Contains(value) && !NotForSandbox.IsMatch(prose[..m.Index]))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The Docker image a request names.</summary>
    public static string? FindImage(string prose)
    {
        var image = Patterns.FirstGroup(Image, prose, "i", v => !NotImages.Contains(v) && (v.Contains(':') || v.Contains('/') || v.Any(char.IsDigit) || v.Length > 2));
        return image ?? Patterns.FirstGroup(ImageLike, prose, "i", v => !v.Contains('='));
    }

    /// <summary>Whether the request asks for a persistent sandbox; <see langword="null"/> when it does not say.</summary>
    public static bool? FindPersistence(string normalized)
    {
        if (NotPersistent.IsMatch(normalized))
        {
            return false;
        }

        return Persistent.IsMatch(normalized) ? true : null;
    }
}
