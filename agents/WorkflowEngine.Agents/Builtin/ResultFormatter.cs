using System.Globalization;
using System.Text;
using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>Turns one tool result into user-facing text, using only the values the result holds.</summary>
internal static class ResultFormatter
{
    /// <summary>The text for <paramref name="result"/> of <paramref name="method"/>.</summary>
    public static string Format(string method, Dictionary<string, object?> result)
    {
        if (IsFailure(method, result))
        {
            return Failure(method, result);
        }

        return method switch
        {
            DaytonaMethods.CreateSandbox => Created(result),
            DaytonaMethods.ExecuteCode or DaytonaMethods.ExecuteShell => Executed(method, result),
            DaytonaMethods.FileOperation => File(result),
            DaytonaMethods.GitOperation => Git(result),
            DaytonaMethods.ListSandboxes => List(result),
            DaytonaMethods.DeleteSandbox => $"✅ Deleted sandbox {Str(result, "sandbox_id") ?? "(unknown id)"}." + MessageLine(result, "Deleted"),
            _ => Info(result),
        };
    }

    private static bool IsFailure(string method, Dictionary<string, object?> result) =>
        result.GetValueOrDefault("success") is false
        || Str(result, "status") == "error"
        || (result.ContainsKey("error") && result["error"] is not null && method is not (DaytonaMethods.ExecuteCode or DaytonaMethods.ExecuteShell));

    private static string Failure(string method, Dictionary<string, object?> result)
    {
        var error = Str(result, "error") ?? Str(result, "message") ?? Str(result, "output") ?? Str(result, "stderr");
        var advice = ErrorAdvisor.Advise(Str(result, "error_type"), error);
        var builder = new StringBuilder($"❌ {Describe(method, result)} failed");
        builder.Append(error is null ? "." : $": {error.Trim()}");
        builder.Append("\n\n").Append(advice.Summary);
        foreach (var step in advice.Steps)
        {
            builder.Append("\n- ").Append(step);
        }

        return builder.ToString();
    }

    private static string Describe(string method, Dictionary<string, object?> result) => method switch
    {
        DaytonaMethods.CreateSandbox => "Creating the sandbox",
        DaytonaMethods.ExecuteCode => "Running the code",
        DaytonaMethods.ExecuteShell => "Running the command",
        DaytonaMethods.FileOperation => $"File {Str(result, "operation") ?? "operation"}" + (Str(result, "file_path") is { } p ? $" of {p}" : ""),
        DaytonaMethods.GitOperation => $"Git {Str(result, "operation") ?? "operation"}",
        DaytonaMethods.ListSandboxes => "Listing sandboxes",
        DaytonaMethods.DeleteSandbox => "Deleting the sandbox" + (Str(result, "sandbox_id") is { } id ? $" {id}" : ""),
        DaytonaMethods.GetSandboxInfo => "Getting the sandbox's details",
        _ => "The operation",
    };

    private static string Created(Dictionary<string, object?> result)
    {
        var builder = new StringBuilder("✅ Created sandbox");
        if (Str(result, "name") is { } name)
        {
            builder.Append($" '{name}'");
        }

        if (Str(result, "sandbox_id") is { } id)
        {
            builder.Append($" (ID: {id})");
        }

        if (Str(result, "language") is { } language)
        {
            builder.Append($" for {language} development");
        }

        builder.Append('.');
        if (Str(result, "status") is { } status)
        {
            builder.Append($" Status: {status}.");
        }

        if (Str(result, "preview_url") is { } url)
        {
            builder.Append($" Preview URL: {url}");
        }

        return builder.ToString();
    }

    private static string Executed(string method, Dictionary<string, object?> result)
    {
        var exit = result.GetValueOrDefault("exit_code");
        var ok = exit is null || Convert.ToInt64(exit, CultureInfo.InvariantCulture) == 0;
        var what = method == DaytonaMethods.ExecuteShell ? "Command" : "Code";
        var builder = new StringBuilder(ok ? $"✅ {what} executed" : $"⚠️ {what} exited with an error");
        if (Str(result, "sandbox_id") is { } id)
        {
            builder.Append($" in sandbox {id}");
        }

        builder.Append('.');
        if (exit is not null)
        {
            builder.Append($" Exit code: {Convert.ToString(exit, CultureInfo.InvariantCulture)}.");
        }

        if (result.GetValueOrDefault("execution_time") is { } time && time is double or long)
        {
            builder.Append($" Time: {Convert.ToDouble(time, CultureInfo.InvariantCulture).ToString("0.###", CultureInfo.InvariantCulture)} s.");
        }

        if (Str(result, "stdout") is { Length: > 0 } stdout)
        {
            builder.Append("\n\nOutput:\n").Append(stdout.TrimEnd('\n'));
        }

        if (Str(result, "stderr") is { Length: > 0 } stderr)
        {
            builder.Append("\n\nErrors:\n").Append(stderr.TrimEnd('\n'));
        }

        return builder.ToString();
    }

    private static string File(Dictionary<string, object?> result)
    {
        var operation = Str(result, "operation") ?? "operation";
        var path = Str(result, "file_path");
        var where = Str(result, "sandbox_id") is { } id ? $" in sandbox {id}" : "";
        var builder = new StringBuilder();
        switch (operation)
        {
            case "read":
                builder.Append($"✅ Contents of {path ?? "the file"}{where}:");
                builder.Append("\n\n").Append(Str(result, "content") ?? "(empty)");
                break;
            case "list":
                var files = result.GetValueOrDefault("files") as IEnumerable<object?> ?? [];
                var names = files.Select(FileName).Where(n => n is not null).ToList();
                builder.Append($"✅ {names.Count} item(s) in {path ?? "the directory"}{where}:");
                foreach (var name in names)
                {
                    builder.Append("\n- ").Append(name);
                }

                break;
            default:
                var past = operation switch
                {
                    "write" => "Wrote",
                    "delete" => "Deleted",
                    "upload" => "Uploaded",
                    "download" => "Downloaded",
                    _ => $"File operation '{operation}' completed for",
                };
                builder.Append($"✅ {past} {path ?? "the file"}{where}");
                if (Str(result, "local_path") is { } local)
                {
                    builder.Append(operation == "upload" ? $" from {local}" : $" to {local}");
                }

                builder.Append('.');
                break;
        }

        return builder.ToString();
    }

    private static string Git(Dictionary<string, object?> result)
    {
        var builder = new StringBuilder($"✅ Git {Str(result, "operation") ?? "operation"} completed");
        if (Str(result, "sandbox_id") is { } id)
        {
            builder.Append($" in sandbox {id}");
        }

        builder.Append('.');
        foreach (var key in new[] { "commit_id", "commit", "hash", "branch" })
        {
            if (Str(result, key) is { } value)
            {
                builder.Append($" {key.Replace('_', ' ')}: {value}.");
            }
        }

        if (Str(result, "output") is { Length: > 0 } output)
        {
            builder.Append("\n\n").Append(output.TrimEnd('\n'));
        }

        return builder.ToString();
    }

    private static string List(Dictionary<string, object?> result)
    {
        var sandboxes = (result.GetValueOrDefault("sandboxes") as IEnumerable<object?> ?? []).Select(AgentInputs.AsObject).OfType<Dictionary<string, object?>>().ToList();
        if (sandboxes.Count == 0)
        {
            return "No sandboxes found.";
        }

        var builder = new StringBuilder($"You have {sandboxes.Count} sandbox(es):\n\n");
        builder.Append("| ID | Name | Status | Language | Created |\n|---|---|---|---|---|");
        foreach (var s in sandboxes)
        {
            builder.Append($"\n| {Str(s, "sandbox_id") ?? ""} | {Str(s, "name") ?? ""} | {Str(s, "status") ?? ""} | {Str(s, "language") ?? ""} | {Str(s, "created_at") ?? ""} |");
        }

        return builder.ToString();
    }

    private static string Info(Dictionary<string, object?> result)
    {
        var builder = new StringBuilder($"Sandbox {Str(result, "sandbox_id") ?? ""}".TrimEnd() + ":");
        foreach (var (key, label) in new[]
        {
            ("name", "Name"), ("language", "Language"), ("status", "Status"), ("created_at", "Created"),
            ("last_accessed", "Last accessed"), ("preview_url", "Preview URL"), ("git_repo", "Git repository"), ("isolation", "Isolation"),
        })
        {
            if (Str(result, key) is { } value)
            {
                builder.Append($"\n- {label}: {value}");
            }
        }

        if (AgentInputs.AsObject(result.GetValueOrDefault("environment_vars")) is { Count: > 0 } vars)
        {
            builder.Append("\n- Environment variables: ").Append(string.Join(", ", vars.Select(v => $"{v.Key}={v.Value}")));
        }

        return builder.ToString();
    }

    private static string MessageLine(Dictionary<string, object?> result, string skipIfStartsWith) =>
        Str(result, "message") is { } message && !message.StartsWith(skipIfStartsWith, StringComparison.OrdinalIgnoreCase) ? " " + message : "";

    private static string? FileName(object? entry) => entry switch
    {
        string s => s,
        Dictionary<string, object?> d => (Str(d, "name") ?? Str(d, "path")) is { } n ? n + (d.GetValueOrDefault("is_dir") is true ? "/" : "") : null,
        _ => entry?.ToString(),
    };

    private static string? Str(Dictionary<string, object?> result, string key) => result.GetValueOrDefault(key) switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };
}
