using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>Tells which method produced a tool result from its fields (and the request, when the fields are ambiguous).</summary>
internal static class ResultKind
{
    /// <summary>Whether <paramref name="value"/> looks like a <c>daytona_environment</c> result.</summary>
    public static bool IsResult(Dictionary<string, object?> value) =>
        value.ContainsKey("success") || value.ContainsKey("sandbox_id") || value.ContainsKey("sandboxes") || value.ContainsKey("exit_code") || value.ContainsKey("available_methods");

    /// <summary>The method that produced <paramref name="result"/>; <paramref name="hint"/> is the request's method.</summary>
    public static string Of(Dictionary<string, object?> result, string? hint)
    {
        if (result.GetValueOrDefault("method") is string method && DaytonaMethods.All.Contains(method))
        {
            return method;
        }

        if (result.ContainsKey("sandboxes") || result.ContainsKey("count"))
        {
            return DaytonaMethods.ListSandboxes;
        }

        if (result.ContainsKey("exit_code") || result.ContainsKey("stdout"))
        {
            return hint == DaytonaMethods.ExecuteShell || result.ContainsKey("command") ? DaytonaMethods.ExecuteShell : DaytonaMethods.ExecuteCode;
        }

        if (result.ContainsKey("operation"))
        {
            // A git status result has "files" too: the method the step names wins.
            if (hint is DaytonaMethods.FileOperation or DaytonaMethods.GitOperation)
            {
                return hint;
            }

            return result.ContainsKey("file_path") || result.ContainsKey("files") || result.ContainsKey("content") || hint == DaytonaMethods.FileOperation
                ? DaytonaMethods.FileOperation
                : DaytonaMethods.GitOperation;
        }

        if (result.ContainsKey("created_at") || result.ContainsKey("last_accessed") || result.ContainsKey("environment_vars"))
        {
            return DaytonaMethods.GetSandboxInfo;
        }

        if (result.ContainsKey("language") || result.ContainsKey("status"))
        {
            return hint == DaytonaMethods.GetSandboxInfo ? hint : DaytonaMethods.CreateSandbox;
        }

        return hint ?? DaytonaMethods.DeleteSandbox;
    }
}
