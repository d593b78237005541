using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds the git operations a request asks for, in the order it names them.</summary>
internal static class GitOperationDetector
{
    private static readonly Regex GitContext = Rx.Create(@"\bgit\b|\brepo(?:sitory|sitories|s)?\b|\bbranch(?:es)?\b|\bworking\s+tree\b|\bcommits?\b|\bchanges\b");

    private static readonly (string Operation, Regex Pattern, bool NeedsContext)[] Operations =
    [
        ("clone", Rx.Create(@"\bclon(?:e|ing)\b"), false),
        ("pull", Rx.Create(@"\bpull(?:ing)?\b(?!\s+requests?)|\b(?:fetch|get|grab|sync)\s+(?:the\s+)?(?:latest|newest|recent)\s+(?:changes|commits|code|updates)\b"), false),
        ("push", Rx.Create(@"\bpush(?:ing)?\b"), false),
        ("commit", Rx.Create(@"\bcommit(?:ting)?\b(?!\s+(?:history|log))(?!s)"), false),
        ("checkout", Rx.Create(@"\bcheck\s?out\b|\bswitch(?:ing)?\s+(?:over\s+)?(?:to|branch)\b|\bchange\s+(?:to\s+)?(?:the\s+)?(?:\S+\s+)?branch\b|\b(?:create|make|start|open)\s+(?:a\s+)?(?:new\s+)?branch\b"), false),
        ("status", Rx.Create(@"\bgit\s+status\b|\bstatus\b|\buncommitted\b|\bunstaged\b|\bwhat\s+(?:has\s+)?changed\b|\bmodified\s+files\b"), true),
        ("add", Rx.Create(@"\bgit\s+add\b|\bstag(?:e|ing)\b(?!\s+environment)|\badd\b[^.]{0,40}\bto\s+(?:the\s+)?(?:staging|index|git)\b"), false),
        ("branches", Rx.Create(@"\b(?:list|show|what|which|see|display)\b[^.]{0,30}\bbranches\b|\bgit\s+branch\b"), false),
        ("log", Rx.Create(@"\bgit\s+log\b|\bcommit\s+(?:history|log)\b|\b(?:recent|last|latest)\s+(?:\d+\s+)?commits\b|\bhistory\b|\blog\b"), true),
        ("init", Rx.Create(@"\bgit\s+init\b|\binit(?:iali[sz]e)?\s+(?:a\s+)?(?:new\s+)?(?:empty\s+)?(?:git\s+)?repo(?:sitory)?\b"), false),
    ];

    /// <summary>The operations in order of mention; empty when the request is not about git.</summary>
    public static IReadOnlyList<string> Detect(string normalized)
    {
        var context = GitContext.IsMatch(normalized);
        var found = new List<(int Index, string Operation)>();
        foreach (var (operation, pattern, needsContext) in Operations)
        {
            if (needsContext && !context)
            {
                continue;
            }

            var m = pattern.Match(normalized);
            if (m.Success && !found.Any(f => f.Index == m.Index))
            {
                found.Add((m.Index, operation));
            }
        }

        if (found.Count == 0 && Regex.IsMatch(normalized, @"\bgit\b", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            found.Add((0, "status"));
        }

        // "commit history" is log, not commit; "switch branch" alone is checkout, not branches.
        var ordered = found.OrderBy(f => f.Index).Select(f => f.Operation).Distinct().ToList();
        if (ordered.Contains("checkout"))
        {
            ordered.Remove("branches");
        }

        return ordered;
    }

    /// <summary>The operation of a <c>git …</c> command line, and its argument.</summary>
    public static (string Operation, string? Argument) FromCommandLine(string command)
    {
        var args = ShellCommands.Split(command);
        var sub = args.Count > 1 ? args[1].ToLowerInvariant() : "status";
        var rest = args.Skip(2).Where(a => !a.StartsWith('-')).ToList();
        return sub switch
        {
            "clone" => ("clone", rest.FirstOrDefault()),
            "checkout" or "switch" => ("checkout", rest.LastOrDefault()),
            "commit" => ("commit", MessageOf(args)),
            "branch" => ("branches", null),
            "pull" or "push" or "status" or "log" or "add" or "init" => (sub, null),
            _ => ("status", null),
        };
    }

    private static string? MessageOf(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] is "-m" or "--message" or "-am")
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
