using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Chooses one of the eight methods for a request by ordered rules over its prose.</summary>
internal static class MethodClassifier
{
    private static readonly Regex Cleanup = Rx.Create(@"\b(?:clean\s?up|cleanup|prune|tidy\s+up|purge|garbage[-\s]collect)\b");

    private static readonly Regex CreateVerb = Rx.Create(
        @"\b(?:create|set\s?up|spin\s?up|spin-up|provision|launch|build|prepare|initiali[sz]e|bootstrap|fire\s+up|stand\s+up|boot\s+up|give\s+me|get\s+me|i\s+need|i\s+want|i'd\s+like|(?:make|start)(?=\s+(?:me\s+|us\s+)?(?:a|an)\b))\b(?<between>(?:\s+[\w.+#'-]+){0,6}?)\s+" + Patterns.EnvNoun + @"\b");

    private static readonly Regex NewEnvironment = Rx.Create(@"\b(?:new|fresh|another|brand-new|separate|second)\s+(?:[\w.+#-]+\s+){0,3}?" + Patterns.EnvNoun + @"\b");

    private static readonly Regex NotACreateObject = Rx.Create(@"\b(?:file|files|folder|directory|branch|commit|script|in|on|inside|within|from|of|to|into|urltoken|sandboxid)\b|[/\u27E6]|\.(?!js\b)[a-z]{1,5}\b");

    private static readonly Regex ExecVerb = Rx.Create(@"\b(?:run|runs|running|execute|executing|exec|evaluate|eval|test|try|invoke)\b");

    private static readonly Regex WriteVerb = Rx.Create(@"\b(?:write|save|put|append|overwrite|store|create)\b");

    private static readonly Regex ShellWord = Rx.Create(@"\b(?:shell|terminal|command|commands|cli|command-line|command\s+line)\b");

    private static readonly Regex DeleteVerb = Rx.Create(
        @"\b(?:delete|remove|destroy|terminate|tear\s+down|teardown|kill|nuke|get\s+rid\s+of|dispose\s+of|shut\s?down|discard|drop|wipe\s+out|decommission)\b");

    private static readonly Regex EnvSingular = Rx.Create(@"\b" + Patterns.EnvNoun + @"\b|\bsandboxid\b");

    private static readonly Regex EnvPlural = Rx.Create(@"\b" + Patterns.EnvNounPlural + @"\b");

    private static readonly Regex ListVerb = Rx.Create(
        @"\b(?:list|show|what|which|display|see|view|all|how\s+many|enumerate|get|find|have|any|existing|running|active|current|overview)\b");

    private static readonly Regex InfoWord = Rx.Create(
        @"\b(?:details?|info|information|status|state|describe|inspect|metadata|config(?:uration)?|preview|url|language|running|alive|healthy|up|about|summary|tell\s+me)\b");

    /// <summary>The method <paramref name="text"/> asks for.</summary>
    public static Classification Classify(RequestText text, SandboxTarget target, IReadOnlyList<PathToken> paths)
    {
        var t = text.Normalized;
        var named = target.Kind is SandboxReference.Id or SandboxReference.Name;

        if (Cleanup.IsMatch(t))
        {
            return named ? Classification.Of(DaytonaMethods.DeleteSandbox, 0.8) : Classification.Of(DaytonaMethods.ListSandboxes, 0.8);
        }

        if (IsCreate(t))
        {
            return Classification.Of(DaytonaMethods.CreateSandbox, 0.9);
        }

        var execution = ClassifyQuotedExecution(text);
        if (execution is not null)
        {
            return execution;
        }

        var file = FileOperationDetector.Detect(text, paths);
        if (file is "upload" or "download")
        {
            return new Classification(DaytonaMethods.FileOperation, 0.9, [file]);
        }

        var git = GitOperationDetector.Detect(t);
        if (git.Count > 0)
        {
            return new Classification(DaytonaMethods.GitOperation, 0.9, git);
        }

        if (file is not null)
        {
            return new Classification(DaytonaMethods.FileOperation, 0.85, [file]);
        }

        if (DeleteVerb.IsMatch(t) && (EnvSingular.IsMatch(t) || named || EnvPlural.IsMatch(t)))
        {
            return EnvPlural.IsMatch(t) && !named
                ? Classification.Of(DaytonaMethods.ListSandboxes, 0.7)
                : Classification.Of(DaytonaMethods.DeleteSandbox, 0.9);
        }

        if (EnvPlural.IsMatch(t) && ListVerb.IsMatch(t) || Regex.IsMatch(t, @"\blist\b", RegexOptions.None, TimeSpan.FromSeconds(1)) && EnvSingular.IsMatch(t) && !named)
        {
            return Classification.Of(DaytonaMethods.ListSandboxes, 0.9);
        }

        if (InfoWord.IsMatch(t) && (EnvSingular.IsMatch(t) || named))
        {
            return Classification.Of(DaytonaMethods.GetSandboxInfo, 0.85);
        }

        if (ExecVerb.IsMatch(t) || ShellWord.IsMatch(t))
        {
            var command = ShellCommands.FromProse(text.Prose);
            var aboutCode = Regex.IsMatch(t, @"\b(?:code|snippet|script|program|function)\b", RegexOptions.None, TimeSpan.FromSeconds(1));
            if (command is not null || ShellWord.IsMatch(t) || (!aboutCode && Regex.IsMatch(t, @"\btests?\b", RegexOptions.None, TimeSpan.FromSeconds(1))))
            {
                return Classification.Of(DaytonaMethods.ExecuteShell, command is null ? 0.6 : 0.85);
            }

            return Classification.Of(DaytonaMethods.ExecuteCode, 0.6);
        }

        if (named)
        {
            return Classification.Of(DaytonaMethods.GetSandboxInfo, 0.5);
        }

        if (EnvPlural.IsMatch(t))
        {
            return Classification.Of(DaytonaMethods.ListSandboxes, 0.5);
        }

        return Classification.Of(DaytonaMethods.CreateSandbox, EnvSingular.IsMatch(t) ? 0.6 : 0.3);
    }

    /// <summary>Whether the request asks for a new sandbox.</summary>
    public static bool IsCreate(string normalized)
    {
        if (NewEnvironment.IsMatch(normalized))
        {
            return true;
        }

        foreach (Match m in CreateVerb.Matches(normalized))
        {
            if (!NotACreateObject.IsMatch(m.Groups["between"].Value))
            {
                return true;
            }
        }

        return false;
    }

    private static Classification? ClassifyQuotedExecution(RequestText text)
    {
        var t = text.Normalized;
        var exec = ExecVerb.Match(t);
        var write = WriteVerb.Match(t);
        var (code, span) = CodeExtractor.Find(text);
        if (code is null || (!exec.Success && text.CodeSpans.Count == 0))
        {
            return null;
        }

        if (write.Success && (!exec.Success || write.Index < exec.Index))
        {
            return null;
        }

        if (!exec.Success && (GitOperationDetector.Detect(t).Count > 0 || FileOperationDetector.Detect(text, []) is not null))
        {
            return null;
        }

        var trimmed = code.Trim();
        if (ShellCommands.FirstWord(trimmed) == "git")
        {
            var (operation, _) = GitOperationDetector.FromCommandLine(trimmed);
            return new Classification(DaytonaMethods.GitOperation, 0.9, [operation]);
        }

        var fenceLanguage = LanguageDetector.FromFenceInfo(span?.Info);
        var shell = ShellWord.IsMatch(t)
            || (fenceLanguage is null or "bash" && ShellCommands.LooksLikeCommandLine(trimmed) && LanguageDetector.FromCode(trimmed) is null or "bash");
        return Classification.Of(shell ? DaytonaMethods.ExecuteShell : DaytonaMethods.ExecuteCode, 0.95);
    }
}
