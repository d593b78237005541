using System.Text.RegularExpressions;
using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>
/// <c>environment_optimizer</c>: answers JSON suggestions <c>{language, persistent, environment_vars, image?, notes}</c>,
/// plus <c>name</c>, <c>git_repo</c> and <c>git_branch</c> when the request states them, so that the answer can be
/// passed to <c>create_sandbox</c> as it is (unknown keys such as <c>notes</c> are dropped by the tool).
/// </summary>
public sealed class EnvironmentOptimizerAgent : IAgent
{
    private static readonly Regex LongLived = new(@"\b(?:learn|learning|course|tutorial|practice|long[-\s]term|ongoing|every\s+day|daily)\b", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = AgentInputs.RequestText(request);
        var stated = RequestInterpreter.InterpretAs(text, DaytonaMethods.CreateSandbox).Params;
        var notes = new List<string>();

        var language = stated.GetValueOrDefault("language") as string;
        if (language is null)
        {
            language = LanguageDetector.Suggested(text) ?? "python";
            notes.Add($"No language was named; {language} fits the described use.");
        }

        bool persistent;
        if (stated.GetValueOrDefault("persistent") is bool p)
        {
            persistent = p;
        }
        else
        {
            persistent = LongLived.IsMatch(text);
            notes.Add(persistent
                ? "Persistent, because the work sounds long-lived (kept for 7 days of inactivity)."
                : "Not persistent: the sandbox is removed when the run ends; say 'keep it' or 'persistent' to keep it.");
        }

        var suggestion = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["language"] = language,
            ["persistent"] = persistent,
            ["environment_vars"] = stated.GetValueOrDefault("environment_vars") ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        foreach (var key in new[] { "image", "name", "git_repo", "git_branch" })
        {
            // Always present (null when not stated), so that templates can read them under strict member access.
            suggestion[key] = stated.GetValueOrDefault(key) as string;
        }

        // The development plan that full_development_cycle follows: files to write, what to run, how to commit.
        var plan = DevelopmentRequestParser.Parse(text);
        suggestion["persistent"] = persistent || plan.Persistent;
        suggestion["keep"] = plan.Persistent;
        suggestion["files"] = plan.Files.Select(f => (object?)new Dictionary<string, object?> { ["path"] = f.Path, ["content"] = f.Content }).ToList();
        suggestion["run"] = plan.RunCommand is { Count: > 0 } command ? ShellJoin(command) : null;
        suggestion["commit_message"] = plan.CommitMessage;

        notes.Add(language switch
        {
            "python" => "Python: add a requirements.txt and run tests with `python3 -m pytest -q`; PYTHONUNBUFFERED=1 gives unbuffered output.",
            "javascript" => "JavaScript: keep dependencies in package.json and run `npm test`; NODE_ENV=development is a common setting.",
            "typescript" => "TypeScript: runs with tsx or ts-node; keep a tsconfig.json in the project.",
            _ => "Bash: keep scripts small and start them with `set -euo pipefail`.",
        });
        suggestion["notes"] = string.Join(" ", notes);
        return AgentInputs.Reply(AgentInputs.ToJson(suggestion));
    }

    /// <summary>Joins an argument vector into one bash command line, quoting what needs it.</summary>
    internal static string ShellJoin(IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(a => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:@%+,".Contains(c)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
}
