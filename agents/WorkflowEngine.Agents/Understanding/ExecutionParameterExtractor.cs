namespace WorkflowEngine.Agents.Understanding;

/// <summary>Extracts <c>execute_code</c> and <c>execute_shell</c> parameters.</summary>
internal static class ExecutionParameterExtractor
{
    /// <summary>The parameters of an <c>execute_code</c> request.</summary>
    public static Dictionary<string, object?> Code(RequestText text)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var (code, span) = CodeExtractor.Find(text);
        if (!string.IsNullOrWhiteSpace(code))
        {
            result["code"] = code;
        }

        var prose = span is null && code is not null ? text.Prose.Replace(code, " ", StringComparison.Ordinal) : text.Prose;
        var language = LanguageDetector.FromFenceInfo(span?.Info) ?? LanguageDetector.Stated(prose) ?? (code is null ? null : LanguageDetector.FromCode(code));
        if (language is not null)
        {
            result["language"] = language;
        }

        AddWorkingDirectory(result, prose);
        return result;
    }

    /// <summary>The parameters of an <c>execute_shell</c> request.</summary>
    public static Dictionary<string, object?> Shell(RequestText text)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var command = Command(text);
        if (!string.IsNullOrWhiteSpace(command))
        {
            result["command"] = command;
        }

        var prose = text.CodeSpans.Count == 0 && command is not null ? text.Prose.Replace(command, " ", StringComparison.Ordinal) : text.Prose;
        AddWorkingDirectory(result, prose);
        return result;
    }

    /// <summary>The command line: quoted spans (joined with <c>&amp;&amp;</c>), else the text after a colon or a run verb.</summary>
    public static string? Command(RequestText text)
    {
        if (text.CodeSpans.Count > 0)
        {
            var fence = text.CodeSpans.FirstOrDefault(s => s.Fenced);
            if (fence is not null)
            {
                return fence.Text;
            }

            var commands = text.CodeSpans.Where(s => ShellCommands.IsCommand(s.Text)).Select(s => s.Text.Trim()).ToList();
            return commands.Count > 0 ? string.Join(" && ", commands) : text.CodeSpans[0].Text.Trim();
        }

        var prose = ShellCommands.FromProse(text.Prose);
        if (prose is not null)
        {
            return prose;
        }

        var afterColon = CodeExtractor.AfterColon(text.Original);
        return afterColon is not null && ShellCommands.IsCommand(afterColon) ? afterColon : null;
    }

    private static void AddWorkingDirectory(Dictionary<string, object?> result, string prose)
    {
        var directory = WorkingDirectoryExtractor.Find(prose);
        if (directory is not null)
        {
            result["working_directory"] = directory;
        }
    }
}
