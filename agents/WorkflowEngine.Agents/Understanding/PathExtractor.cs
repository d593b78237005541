using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds file and directory paths in prose.</summary>
internal static class PathExtractor
{
    private static readonly Regex Path = Rx.Create(
        @"(?<![\w:/.~=@-])(?<p>(?:~|\.{1,2})?/[\w.@%+=~-]*(?:/[\w.@%+=~-]+)*/?|(?:[\w@%+-][\w.@%+-]*/)+[\w.@%+-]*|[\w@%+-]+(?:\.[\w-]+)*\.[A-Za-z][A-Za-z0-9]{0,9})(?![\w/])");

    private static readonly HashSet<string> NotFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        "node.js", "next.js", "vue.js", "nuxt.js", "express.js", "react.js", "three.js", "d3.js", "chart.js", "e.g", "i.e", "etc", "vs",
        "asp.net", "socket.io",
    };

    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase) { "com", "org", "net", "io", "dev", "ai", "co" };

    /// <summary>All paths in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<PathToken> Find(string text)
    {
        var result = new List<PathToken>();
        foreach (Match m in Path.Matches(text))
        {
            var value = m.Groups["p"].Value.TrimEnd('.', ':');
            if (value.Length == 0 || value == "/" || NotFiles.Contains(value) || Patterns.SandboxId.IsMatch(value))
            {
                continue;
            }

            var rooted = value.StartsWith('/') || value.StartsWith("~/", StringComparison.Ordinal) || value.StartsWith("./", StringComparison.Ordinal) || value.StartsWith("../", StringComparison.Ordinal);
            var last = value.TrimEnd('/');
            last = last[(last.LastIndexOf('/') + 1)..];
            var dot = last.LastIndexOf('.');
            var extension = dot > 0 && dot < last.Length - 1 ? last[(dot + 1)..] : "";
            var hasExtension = extension.Length > 0 && char.IsLetter(extension[0]);
            if (!rooted && !value.Contains('/') && (!hasExtension || Domains.Contains(extension)))
            {
                continue;
            }

            if (!rooted && value.Contains('/') && !hasExtension && !value.EndsWith('/') && value.Count(c => c == '/') == 1 && !LooksLikeDirectory(value))
            {
                // "feature/login", "and/or": a single slash without an extension is more often a branch or a phrase.
                continue;
            }

            result.Add(new PathToken(value, m.Index, rooted, hasExtension));
        }

        return result;
    }

    private static bool LooksLikeDirectory(string value)
    {
        var first = value[..value.IndexOf('/')];
        return first is "src" or "app" or "data" or "tests" or "test" or "lib" or "docs" or "workspace" or "output" or "scripts" or "config";
    }
}
