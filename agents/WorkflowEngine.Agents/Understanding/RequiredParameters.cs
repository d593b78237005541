namespace WorkflowEngine.Agents.Understanding;

/// <summary>The parameters each method requires (FORMAT §7), and which of them a planned call lacks.</summary>
public static class RequiredParameters
{
    /// <summary>Whether <paramref name="method"/> acts on an existing sandbox.</summary>
    /// <param name="method">A method name.</param>
    public static bool NeedsSandbox(string method) =>
        method is DaytonaMethods.ExecuteCode or DaytonaMethods.ExecuteShell or DaytonaMethods.FileOperation
            or DaytonaMethods.GitOperation or DaytonaMethods.DeleteSandbox or DaytonaMethods.GetSandboxInfo;

    /// <summary>The required parameters of <paramref name="method"/> that <paramref name="parameters"/> lacks.</summary>
    /// <param name="method">A method name.</param>
    /// <param name="parameters">The parameters planned so far.</param>
    public static IReadOnlyList<string> Missing(string method, IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var required = new List<string>();
        if (NeedsSandbox(method))
        {
            required.Add("sandbox_id");
        }

        switch (method)
        {
            case DaytonaMethods.ExecuteCode:
                required.Add("code");
                break;
            case DaytonaMethods.ExecuteShell:
                required.Add("command");
                break;
            case DaytonaMethods.FileOperation:
                required.Add("operation");
                required.Add("file_path");

                if (Value(parameters, "operation") is "upload" or "download")
                {
                    required.Add("local_path");
                }

                break;
            case DaytonaMethods.GitOperation:
                required.Add("operation");
                required.AddRange(Value(parameters, "operation") switch
                {
                    "clone" => ["repository_url"],
                    "commit" => ["commit_message"],
                    "checkout" => ["branch"],
                    _ => Array.Empty<string>(),
                });
                break;
        }

        return required.Where(r => !parameters.TryGetValue(r, out var v) || v is null || v is string { Length: 0 }).ToList();
    }

    private static string? Value(IReadOnlyDictionary<string, object?> parameters, string key) =>
        parameters.TryGetValue(key, out var value) ? value as string : null;
}
