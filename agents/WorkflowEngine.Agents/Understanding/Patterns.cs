using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Patterns shared by the extractors.</summary>
internal static class Patterns
{
    /// <summary>A repository or web URL: http(s), ssh, git, file, or scp-like <c>git@host:path</c>.</summary>
    public static readonly Regex Url = Rx.Create(@"(?:https?|ssh|git|file)://[^\s'""<>`\u27E6]+|\bgit@[\w.-]+:[\w./~-]+");

    /// <summary>A sandbox id: <c>sandbox-</c> and a hex or alphanumeric suffix with a digit, or a UUID.</summary>
    public static readonly Regex SandboxId = Rx.Create(
        @"\bsandbox-(?:[0-9a-f]{6,}|(?=[a-z0-9]*\d)[a-z0-9]{3,})(?:-[a-z0-9]+)*\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b");

    /// <summary>A singular word for a sandbox.</summary>
    public const string EnvNoun = @"(?:sandbox|environment|env|workspace|container|dev\s?box|devbox|instance|vm|machine)";

    /// <summary>A plural word for sandboxes.</summary>
    public const string EnvNounPlural = @"(?:sandboxes|environments|envs|workspaces|containers|dev\s?boxes|devboxes|instances|vms)";

    /// <summary>A rooted path: <c>/x</c>, <c>~/x</c>, <c>./x</c>, <c>../x</c>.</summary>
    public const string RootedPath = @"(?:~|\.{1,2})?/[^\s,;'""`()\u27E6\u27E7?!]*";

    /// <summary>Words that end a name or branch token but are not one.</summary>
    public static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "in", "on", "of", "to", "from", "and", "or", "into", "for", "with", "named", "called", "it", "is",
        "this", "that", "my", "our", "your", "new", "after", "as", "at", "by", "please", "then", "so", "be", "me", "using",
    };

    /// <summary>The first match's named group, trimmed of clause punctuation; <see langword="null"/> when there is none.</summary>
    public static string? FirstGroup(Regex pattern, string text, string group, Func<string, bool>? accept = null)
    {
        foreach (Match m in pattern.Matches(text))
        {
            var value = Rx.TrimToken(m.Groups[group].Value);
            if (value.Length > 0 && (accept is null || accept(value)))
            {
                return value;
            }
        }

        return null;
    }
}
