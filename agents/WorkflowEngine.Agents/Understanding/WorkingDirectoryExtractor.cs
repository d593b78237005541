using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds the directory a command or git operation should run in.</summary>
internal static class WorkingDirectoryExtractor
{
    private static readonly Regex Explicit = Rx.Create(
        @"\b(?:working\s+dir(?:ectory)?|work\s*dir|cwd|current\s+directory|run\s+directory)\s*(?:of\s+|set\s+to\s+|as\s+|is\s+|at\s+|=\s*|:\s*)?(?:the\s+)?[""'`]?(?<p>" + Patterns.RootedPath + ")");

    private static readonly Regex Located = Rx.Create(
        @"\b(?<prep>from|in|inside|within|under|at|into)\s+(?:the\s+)?(?:(?:directory|folder|dir|path)\s+)?[""'`]?(?<p>" + Patterns.RootedPath + @")[""'`]?(?:\s+(?:directory|folder|dir))?");

    /// <summary>The working directory; <paramref name="allowInto"/> also accepts "into /path" (the target of a clone).</summary>
    public static string? Find(string prose, bool allowInto = false)
    {
        var explicitPath = Patterns.FirstGroup(Explicit, prose, "p", p => p.Length > 1);
        if (explicitPath is not null)
        {
            return explicitPath;
        }

        foreach (Match m in Located.Matches(prose))
        {
            var path = Rx.TrimToken(m.Groups["p"].Value);
            if (path.Length <= 1 || (!allowInto && m.Groups["prep"].Value.Equals("into", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var last = path.TrimEnd('/');
            last = last[(last.LastIndexOf('/') + 1)..];
            if (last.Contains('.') && !last.StartsWith('.'))
            {
                continue; // a file, not a directory
            }

            return path;
        }

        return null;
    }
}
