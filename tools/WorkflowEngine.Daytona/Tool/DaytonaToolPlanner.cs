using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>Answers <c>daytona_environment</c> calls in dry-run mode: plausible results, marked <c>dry_run</c>, without touching a sandbox.</summary>
public sealed class DaytonaToolPlanner : IToolPlanner
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> Plan(string method, IReadOnlyDictionary<string, object?> parameters)
    {
        var sandbox = parameters.GetValueOrDefault("sandbox_id") as string ?? parameters.GetValueOrDefault("name") as string ?? "sandbox-planned0000";
        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["success"] = true, ["dry_run"] = true, ["sandbox_id"] = sandbox };
        switch (method)
        {
            case "create_sandbox":
                result["name"] = parameters.GetValueOrDefault("name") ?? "planned";
                result["language"] = parameters.GetValueOrDefault("language") ?? "python";
                result["status"] = "planned";
                break;
            case "execute_code" or "execute_shell":
                result["exit_code"] = 0L;
                result["stdout"] = "";
                result["stderr"] = "";
                result["execution_time"] = 0.0;
                break;
            case "file_operation":
                result["operation"] = parameters.GetValueOrDefault("operation");
                result["file_path"] = parameters.GetValueOrDefault("file_path");
                result["content"] = "";
                result["files"] = new List<object?>();
                break;
            case "git_operation":
                result["operation"] = parameters.GetValueOrDefault("operation");
                result["output"] = "";
                result["commit_id"] = "0000000000000000000000000000000000000000";
                break;
            case "list_sandboxes":
                result["sandboxes"] = new List<object?>();
                result["count"] = 0L;
                break;
        }

        result["message"] = $"Planned {method}; nothing was executed (dry run).";
        return result;
    }
}
