using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds repository URLs (remote or local) and branch names.</summary>
internal static class RepositoryExtractor
{
    private static readonly Regex LocalRepo = Rx.Create(
        @"\b(?:repo|repository|clone|from)\s+(?:at\s+|from\s+|in\s+)?(?:the\s+)?[""'`]?(?<p>(?:~|\.{1,2})?/[^\s,;'""`]+)");

    private static readonly Regex GitSuffixPath = Rx.Create(@"(?<![\w/])(?<p>(?:~|\.{1,2})?/[^\s,;'""`]+\.git)\b");

    private static readonly Regex BranchAfter = Rx.Create(@"\bbranch\s+(?:named\s+|called\s+)?[""'`]?(?<b>[\w][\w./-]*)");

    private static readonly Regex BranchBefore = Rx.Create(@"[""'`]?(?<b>[\w][\w./-]*)[""'`]?\s+branch\b");

    private static readonly Regex SwitchTarget = Rx.Create(@"\b(?:checkout|check\s+out|switch\s+(?:over\s+)?to|switch|change\s+to)\s+(?:the\s+)?[""'`]?(?<b>[\w][\w./-]*)");

    private static readonly HashSet<string> NotBranches = new(StringComparer.OrdinalIgnoreCase)
    {
        "new", "git", "remote", "feature", "default", "current", "same", "other", "another", "different", "local", "branch", "existing",
        "sandbox", "environment", "repo", "repository", "latest", "changes", "code", "all", "its", "their", "his", "her", "one", "which", "what",
    };

    /// <summary>The repository URL or local repository path, as written.</summary>
    public static string? Url(RequestText text)
    {
        var url = Patterns.Url.Match(text.Masked);
        if (url.Success)
        {
            return Rx.TrimToken(url.Value);
        }

        return Patterns.FirstGroup(GitSuffixPath, text.Masked, "p") ?? Patterns.FirstGroup(LocalRepo, text.Masked, "p");
    }

    /// <summary>The branch named in <paramref name="prose"/>.</summary>
    public static string? Branch(string prose)
    {
        static bool Accept(string b) => !Patterns.StopWords.Contains(b) && !NotBranches.Contains(b) && !b.StartsWith("sandbox-", StringComparison.OrdinalIgnoreCase);
        return Patterns.FirstGroup(BranchAfter, prose, "b", Accept)
            ?? Patterns.FirstGroup(BranchBefore, prose, "b", Accept)
            ?? Patterns.FirstGroup(SwitchTarget, prose, "b", Accept);
    }
}
