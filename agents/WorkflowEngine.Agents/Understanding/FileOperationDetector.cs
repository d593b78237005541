using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds the file operation a request asks for: upload, download, delete, write, list or read.</summary>
internal static class FileOperationDetector
{
    private static readonly Regex FileWord = Rx.Create(@"\b(?:files?|folders?|directory|directories|dir|contents?|document|report|script|csv|json|config|log\s+file)\b");

    private static readonly Regex WorkingDirectory = Rx.Create(@"\b(?:working|work|current)\s+dir(?:ectory)?\b");

    private static readonly Regex Upload = Rx.Create(@"\bupload(?:ing|s)?\b|\b(?:copy|send|transfer|put|move)\b[^?!\n]{0,80}?\bfrom\s+(?:my\s+(?:local\s+)?(?:machine|computer|laptop|disk|desktop)|local(?:ly)?|the\s+host)\b");

    private static readonly Regex Download = Rx.Create(@"\bdownload(?:ing|s)?\b|\b(?:copy|save|fetch|get|pull|bring|retrieve)\b[^?!\n]{0,80}?\b(?:to\s+my\s+(?:local\s+)?(?:machine|computer|laptop|disk|desktop)|locally|to\s+the\s+host)\b");

    private static readonly Regex Delete = Rx.Create(@"\b(?:delete|remove|rm|erase|unlink|wipe|trash)\b");

    private static readonly Regex Write = Rx.Create(@"\b(?:write|save|put|overwrite|append|create|add|make|edit|update|store|touch)\b");

    private static readonly Regex ListVerb = Rx.Create(@"\b(?:list|ls|show|what|which|see|display|view|browse|enumerate|tree)\b");

    private static readonly Regex ListObject = Rx.Create(@"\b(?:files|folders|directories|directory|folder|dir|contents|tree)\b|\bwhat'?s\s+in\b");

    private static readonly Regex Read = Rx.Create(@"\b(?:read|cat|open|view|show|print|display|get|see|check|inspect|look\s+at|contents?\s+of|what'?s\s+in|fetch)\b");

    /// <summary>The operation, or <see langword="null"/> when the request is not about files.</summary>
    public static string? Detect(RequestText text, IReadOnlyList<PathToken> paths)
    {
        var t = WorkingDirectory.Replace(text.Normalized, " ");
        if (Upload.IsMatch(t))
        {
            return "upload";
        }

        if (Download.IsMatch(t))
        {
            return "download";
        }

        var hasFileWord = FileWord.IsMatch(t);
        var hasPath = paths.Count > 0;
        var hasFile = paths.Any(p => p.HasExtension);
        if (!hasFileWord && !hasPath)
        {
            return null;
        }

        if (Delete.IsMatch(t))
        {
            return "delete";
        }

        if (Write.IsMatch(t) && (hasFile || hasFileWord || text.CodeSpans.Count > 0))
        {
            return "write";
        }

        if (ListVerb.IsMatch(t) && ListObject.IsMatch(t))
        {
            var onlyAFile = hasFile && !Regex.IsMatch(t, @"\b(?:files|folders|directories|directory|folder|dir)\b", RegexOptions.None, TimeSpan.FromSeconds(1));
            return onlyAFile ? "read" : "list";
        }

        if (Read.IsMatch(t) && (hasFile || hasFileWord))
        {
            return "read";
        }

        return null;
    }
}
