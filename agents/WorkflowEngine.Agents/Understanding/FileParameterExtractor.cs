using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Extracts <c>file_operation</c> parameters.</summary>
internal static class FileParameterExtractor
{
    private static readonly Regex LocalMarkerAfter = Rx.Create(
        @"^\s*(?:from|on|in)\s+(?:my\s+)?(?:local\s+)?(?:machine|computer|laptop|disk|desktop|host|local\s+(?:machine|disk|drive))\b|^\s*(?:locally|on\s+my\s+side)\b");

    private static readonly Regex LocalMarkerBefore = Rx.Create(
        @"(?:locally\s+(?:as|to|at|in(?:to)?)|local\s+(?:file|path|copy)?\s*(?:as|to|at)?|to\s+my\s+(?:local\s+)?(?:machine|computer|laptop|disk|desktop)\s*(?:as|at|in(?:to)?)?|save\s+(?:it|them|this|that)\s+(?:as|to|at|in(?:to)?)|my\s+local|from\s+my\s+(?:machine|computer|laptop))\s*[""'`]?$");

    private static readonly Regex TargetBefore = Rx.Create(@"\b(?:to|into|at|as|in|under)\s+(?:the\s+)?(?:file\s+|path\s+|folder\s+|directory\s+)?[""'`]?$");

    private static readonly Regex ContentAfter = Rx.Create(
        @"\b(?:with\s+(?:the\s+)?(?:content|contents|text|body)|containing|that\s+(?:says|contains)|saying)\s*:?\s*(?<c>.+)$", RegexOptions.Singleline);

    private static readonly Regex WriteContent = Rx.Create(@"\b(?:write|put|append|save)\s+(?<c>.+?)\s+(?:to|into|in)\s+(?:the\s+)?(?:file\s+)?[""'`]?(?:[\w~./-]+)", RegexOptions.Singleline);

    private static readonly Regex TrailingLocation = Rx.Create(
        @"\s+(?:in|on|inside|to|into)\s+(?:the\s+)?(?:sandbox|sandbox-\S+|my\s+\w+(?:\s+\w+)?|file\s+\S+|\S+\.\w+|/\S+)\s*[.!?]?\s*$");

    /// <summary>The parameters of a <c>file_operation</c> request with <paramref name="operation"/>.</summary>
    public static Dictionary<string, object?> Extract(RequestText text, string? operation)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (operation is not null)
        {
            result["operation"] = operation;
        }

        var paths = PathExtractor.Find(text.Prose);
        var spanPaths = text.CodeSpans.Where(s => !s.Fenced && !s.Text.Contains(' ') && PathExtractor.Find(s.Text).Count == 1).ToList();
        string? filePath = null;
        string? localPath = null;
        switch (operation)
        {
            case "upload":
                localPath = paths.FirstOrDefault(p => IsLocal(text.Prose, p))?.Value;
                filePath = paths.FirstOrDefault(p => p.Value != localPath && TargetBefore.IsMatch(text.Prose[..p.Start]))?.Value;
                localPath ??= paths.FirstOrDefault(p => p.Value != filePath)?.Value;
                break;
            case "download":
                localPath = paths.FirstOrDefault(p => IsLocal(text.Prose, p))?.Value;
                filePath = paths.FirstOrDefault(p => p.Value != localPath)?.Value;
                if (localPath is null && paths.Count > 1 && TargetBefore.IsMatch(text.Prose[..paths[1].Start]))
                {
                    localPath = paths[1].Value;
                }

                break;
            case "write":
                filePath = (paths.FirstOrDefault(p => p.HasExtension && TargetBefore.IsMatch(text.Prose[..p.Start]))
                    ?? paths.FirstOrDefault(p => p.HasExtension) ?? paths.FirstOrDefault())?.Value;
                break;
            default:
                filePath = paths.FirstOrDefault()?.Value;
                break;
        }

        filePath ??= operation is "upload" or "download" ? null : spanPaths.FirstOrDefault()?.Text;
        if (filePath is not null)
        {
            result["file_path"] = filePath;
        }

        if (localPath is not null)
        {
            result["local_path"] = localPath;
        }

        if (operation == "write")
        {
            var content = Content(text, spanPaths);
            if (content is not null)
            {
                result["content"] = content;
            }
        }

        return result;
    }

    /// <summary>The content to write: a quoted span, the text after "containing"/"with content", or what "write X to" names.</summary>
    public static string? Content(RequestText text, IReadOnlyList<CodeSpan> pathSpans)
    {
        var span = text.CodeSpans.FirstOrDefault(s => s.Fenced) ?? text.CodeSpans.FirstOrDefault(s => !pathSpans.Contains(s));
        if (span is not null)
        {
            return span.Text;
        }

        var after = ContentAfter.Match(text.Original);
        if (after.Success)
        {
            return Rx.Unquote(TrailingLocation.Replace(after.Groups["c"].Value.Trim(), ""));
        }

        var write = WriteContent.Match(text.Original);
        if (write.Success)
        {
            var content = write.Groups["c"].Value.Trim();
            var quoted = Rx.Unquote(content);
            if (quoted != content || !Regex.IsMatch(content, @"^(?:a|an|the|some|this|that|it|file|new)\b", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)))
            {
                return quoted;
            }
        }

        return null;
    }

    private static bool IsLocal(string prose, PathToken path) =>
        LocalMarkerAfter.IsMatch(prose[path.End..]) || LocalMarkerBefore.IsMatch(prose[..path.Start]);
}
