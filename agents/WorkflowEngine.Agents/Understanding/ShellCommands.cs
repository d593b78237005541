using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Recognises shell commands and pulls a command out of "run npm test in …".</summary>
internal static class ShellCommands
{
    private static readonly HashSet<string> Programs = new(StringComparer.OrdinalIgnoreCase)
    {
        "npm", "npx", "yarn", "pnpm", "node", "deno", "bun", "pip", "pip3", "python", "python3", "pytest", "poetry", "pipenv", "uv", "conda",
        "make", "cmake", "ls", "cat", "echo", "cd", "pwd", "mkdir", "rm", "rmdir", "cp", "mv", "touch", "chmod", "chown", "grep", "find", "curl", "wget",
        "tar", "unzip", "zip", "gzip", "git", "docker", "go", "cargo", "rustc", "mvn", "gradle", "java", "javac", "dotnet", "bundle", "gem", "rake",
        "ruby", "php", "composer", "apt", "apt-get", "apk", "brew", "sh", "bash", "zsh", "env", "export", "which", "whoami", "uname", "df", "du",
        "ps", "top", "kill", "head", "tail", "wc", "sort", "sed", "awk", "tsc", "tsx", "ts-node", "jest", "mocha", "vitest", "eslint", "prettier",
        "black", "flake8", "mypy", "ruff", "pylint", "uvicorn", "gunicorn", "flask", "django-admin", "rails", "terraform", "kubectl", "helm",
        "ansible", "ssh", "scp", "rsync", "ping", "nc", "date", "free", "id", "hostname", "tree", "less", "more", "diff", "ln", "stat", "file",
        "xargs", "tee", "jq", "sqlite3", "psql", "mysql", "redis-cli", "lsof", "netstat", "htop", "nproc", "printenv", "true", "false", "sleep",
    };

    private static readonly Regex RunVerb = Rx.Create(
        @"\b(?:run|execute|exec|invoke|launch|start)\s+(?:the\s+|this\s+|a\s+|an\s+)?(?:(?:following\s+)?(?:shell|terminal|bash|cli|console)\s+)?(?:command\s+)?:?\s*(?<cmd>.+?)(?=\s+(?:in|on|inside|within|from|for|using|with|at|under)\s+(?:the|my|our|this|that|a|an|sandbox|[/~.])|\s+(?:please|thanks|thank\s+you)\b|,\s*(?:please|thanks)|[?!]|\.(?:\s|$)|\s*$)",
        RegexOptions.Singleline);

    private static readonly Regex ScriptPath = Rx.Create(@"(?<![\w/])(?<p>(?:~|\.{1,2})?/?[\w./-]*[\w-]+\.(?<e>py|js|mjs|ts|sh))\b");

    /// <summary>Whether <paramref name="command"/> starts with a known program or a script path.</summary>
    public static bool IsCommand(string command)
    {
        var first = FirstWord(command);
        if (first.Length == 0)
        {
            return false;
        }

        return Programs.Contains(first) || first.StartsWith("./", StringComparison.Ordinal) || (first.StartsWith('/') && !first.Contains('.'));
    }

    /// <summary>Whether quoted code is a command line rather than a program in a language.</summary>
    public static bool LooksLikeCommandLine(string code)
    {
        if (!IsCommand(code))
        {
            return false;
        }

        var first = FirstWord(code);

        // "echo" or "python" alone on a line is a command; "print(...)" never reaches here.
        return !code.Contains('\n') || first is "npm" or "pip" or "make" or "cd" or "ls" or "git" or "mkdir" or "yarn" or "pnpm" or "apt-get" or "apt";
    }

    /// <summary>The first word of a command.</summary>
    public static string FirstWord(string command)
    {
        var trimmed = command.TrimStart();
        var end = 0;
        while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end]))
        {
            end++;
        }

        return trimmed[..end];
    }

    /// <summary>The command after "run"/"execute" in prose, when it is a command line; <see langword="null"/> otherwise.</summary>
    public static string? FromProse(string prose)
    {
        foreach (Match m in RunVerb.Matches(prose))
        {
            var candidate = Rx.Unquote(m.Groups["cmd"].Value.Trim());
            if (IsCommand(candidate))
            {
                return candidate;
            }

            var script = ScriptPath.Match(candidate);
            if (script.Success && candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 4)
            {
                return ScriptCommand(script.Groups["p"].Value);
            }
        }

        return null;
    }

    /// <summary>The command that runs a script file with its interpreter.</summary>
    public static string ScriptCommand(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".py" => "python3 " + path,
        ".js" or ".mjs" => "node " + path,
        ".ts" => "tsx " + path,
        _ => "bash " + path,
    };

    /// <summary>Splits a command line into arguments, honouring single and double quotes.</summary>
    public static IReadOnlyList<string> Split(string command)
    {
        var args = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in command)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 || any)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0 || any)
        {
            args.Add(current.ToString());
        }

        return args;
    }
}
