using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>
/// Reads a multi-step development request ("Create a Python sandbox named demo, write app.py that prints hello,
/// run it, and commit it with message 'first version'") into a <see cref="DevelopmentPlan"/>.
/// </summary>
public static class DevelopmentRequestParser
{
    private static readonly Regex Quotes = Rx.Create(@"(?<![\w])(?:""[^""\n]*""|'[^'\n]+?'(?=\s|$|[.,;:!?)])|“[^”\n]*”)");

    private static readonly Regex ClauseBreak = Rx.Create(@"\s*(?:[;,]\s*(?:and\s+)?(?:then\s+)?|\.\s+|\s+and\s+then\s+|\s+then\s+|\s+and\s+(?=(?:write|create|add|save|make|run|execute|test|commit|push|clone|keep|finally)\b))");

    private static readonly Regex WriteVerb = Rx.Create(@"\b(?:write|create|add|save|make|put)\b");

    private static readonly Regex ScriptNoun = Rx.Create(@"\b(?:script|file|program|module)\b");

    private static readonly Regex Describe = Rx.Create(@"\b(?:that|which|to)\s+(?:prints?|outputs?|says|echo(?:es)?|displays?|logs?|shows?)\s+(?<x>.+)$|\bprinting\s+(?<x>.+)$", RegexOptions.Singleline);

    private static readonly Regex Verbatim = Rx.Create(@"\b(?:containing|with\s+(?:the\s+)?(?:content|contents|code|text|body)|that\s+contains)\s*:?\s*(?<x>.+)$", RegexOptions.Singleline);

    private static readonly Regex RunVerb = Rx.Create(@"\b(?:run|execute|test)\b");

    private static readonly Regex RunTests = Rx.Create(@"\b(?:run|execute)\s+(?:the\s+|all\s+(?:the\s+)?|my\s+)?(?:unit\s+)?tests?\b|\btest\s+it\b");

    private static readonly Regex Commit = Rx.Create(@"\bcommit\b");

    private static readonly Regex Push = Rx.Create(@"\bpush\b");

    /// <summary>The plan of <paramref name="request"/>.</summary>
    /// <param name="request">The user's request.</param>
    public static DevelopmentPlan Parse(string request)
    {
        var text = RequestText.Parse(request ?? "");
        var create = CreateParameterExtractor.Extract(text);
        var stated = create.TryGetValue("language", out var l) ? l as string : null;
        var language = stated ?? LanguageFromFiles(text.Prose) ?? "python";

        var quoted = new List<string>();
        var masked = Quotes.Replace(text.Masked, m =>
        {
            quoted.Add(m.Value);
            return $"\u27EA{quoted.Count - 1}\u27EB";
        });
        string Restore(string part)
        {
            for (var i = 0; i < quoted.Count; i++)
            {
                part = part.Replace($"\u27EA{i}\u27EB", quoted[i], StringComparison.Ordinal);
            }

            return text.Restore(part);
        }

        var files = new List<PlannedFile>();
        IReadOnlyList<string>? run = null;
        var commit = false;
        string? message = null;
        var push = false;
        foreach (var clause in ClauseBreak.Split(masked).Where(c => c.Trim().Length > 0))
        {
            var file = FileOf(clause, text, Restore, language);
            if (file is not null)
            {
                files.Add(file);
                continue;
            }

            if (Commit.IsMatch(clause))
            {
                commit = true;
                message ??= QuotedText.CommitMessage(Restore(clause));
                push |= Push.IsMatch(clause);
                continue;
            }

            if (Push.IsMatch(clause))
            {
                push = true;
                continue;
            }

            if (RunVerb.IsMatch(clause) && !MethodClassifier.IsCreate(clause.ToLowerInvariant()))
            {
                run = RunOf(clause, text, Restore, language, files) ?? run;
            }
        }

        return new DevelopmentPlan
        {
            Language = language,
            LanguageStated = stated is not null,
            Name = create.GetValueOrDefault("name") as string,
            Image = create.GetValueOrDefault("image") as string,
            GitRepo = create.GetValueOrDefault("git_repo") as string,
            GitBranch = create.GetValueOrDefault("git_branch") as string,
            Persistent = create.GetValueOrDefault("persistent") is true,
            EnvironmentVars = create.GetValueOrDefault("environment_vars") as Dictionary<string, string> ?? new Dictionary<string, string>(StringComparer.Ordinal),
            Files = files,
            RunCommand = run,
            Commit = commit,
            CommitMessage = message,
            Push = push,
        };
    }

    private static PlannedFile? FileOf(string clause, RequestText text, Func<string, string> restore, string language)
    {
        var write = WriteVerb.Match(clause);
        if (!write.Success || MethodClassifier.IsCreate(clause.ToLowerInvariant()) && !ScriptNoun.IsMatch(clause))
        {
            return null;
        }

        var after = clause[write.Index..];
        var path = PathExtractor.Find(after).FirstOrDefault(p => p.HasExtension)?.Value;
        if (path is null && !ScriptNoun.IsMatch(after))
        {
            return null;
        }

        var fileLanguage = path is null ? language : LanguageDetector.FromExtension(path) ?? language;
        path ??= ProgramGenerator.DefaultFile(language);
        var span = text.CodeSpans.FirstOrDefault(s => after.Contains(s.Placeholder, StringComparison.Ordinal));
        string content;
        var verbatim = Verbatim.Match(after);
        var describe = Describe.Match(after);
        if (span is not null)
        {
            content = span.Text;
        }
        else if (verbatim.Success)
        {
            content = Rx.Unquote(restore(verbatim.Groups["x"].Value.Trim()));
        }
        else if (describe.Success)
        {
            content = ProgramGenerator.Print(fileLanguage, Rx.Unquote(restore(describe.Groups["x"].Value.Trim().TrimEnd('.', '!'))));
        }
        else
        {
            content = "";
        }

        return new PlannedFile(path, content);
    }

    private static IReadOnlyList<string>? RunOf(string clause, RequestText text, Func<string, string> restore, string language, List<PlannedFile> files)
    {
        var span = text.CodeSpans.FirstOrDefault(s => clause.Contains(s.Placeholder, StringComparison.Ordinal));
        if (span is not null)
        {
            // Inline code keeps its exact text: a command line goes to bash, a snippet to its language's interpreter.
            var code = span.Text.Trim();
            return ShellCommands.LooksLikeCommandLine(code) || language == "bash" ? ["bash", "-c", code]
                : language == "javascript" ? ["node", "-e", code]
                : ["python3", "-c", code];
        }

        var restored = restore(clause);
        var command = ShellCommands.FromProse(restored);
        if (command is not null)
        {
            return ShellCommands.Split(command);
        }

        if (RunTests.IsMatch(clause))
        {
            return ProgramGenerator.RunTests(language) ?? (files.Count > 0 ? ProgramGenerator.RunFile(language, files[^1].Path) : null);
        }

        var path = PathExtractor.Find(clause).FirstOrDefault(p => p.HasExtension)?.Value;
        if (path is not null)
        {
            return ProgramGenerator.RunFile(language, path);
        }

        return files.Count > 0 ? ProgramGenerator.RunFile(language, files[^1].Path) : null;
    }

    private static string? LanguageFromFiles(string prose) =>
        PathExtractor.Find(prose).Select(p => LanguageDetector.FromExtension(p.Value)).FirstOrDefault(l => l is not null);
}
