namespace WorkflowEngine.Agents.Understanding;

/// <summary>Extracts <c>git_operation</c> parameters for one operation.</summary>
internal static class GitParameterExtractor
{
    /// <summary>The parameters for <paramref name="operation"/>; a quoted <c>git …</c> command line is read as such.</summary>
    public static Dictionary<string, object?> Extract(RequestText text, string? operation)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var gitLine = text.CodeSpans.Select(s => s.Text.Trim()).FirstOrDefault(s => ShellCommands.FirstWord(s) == "git");
        string? argument = null;
        if (gitLine is not null)
        {
            (var lineOperation, argument) = GitOperationDetector.FromCommandLine(gitLine);
            operation ??= lineOperation;
        }

        if (operation is not null)
        {
            result["operation"] = operation;
        }

        switch (operation)
        {
            case "clone":
                Set(result, "repository_url", RepositoryExtractor.Url(text) ?? argument);
                Set(result, "branch", RepositoryExtractor.Branch(text.Prose));
                break;
            case "checkout":
                Set(result, "branch", RepositoryExtractor.Branch(text.Prose) ?? argument);
                break;
            case "commit":
                Set(result, "commit_message", argument ?? QuotedText.CommitMessage(text.Original));
                break;
            case "push":
            case "pull":
                Set(result, "branch", RepositoryExtractor.Branch(text.Prose));
                break;
        }

        Set(result, "working_directory", WorkingDirectoryExtractor.Find(text.Prose, allowInto: operation == "clone"));
        return result;
    }

    private static void Set(Dictionary<string, object?> result, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            result[key] = value;
        }
    }
}
