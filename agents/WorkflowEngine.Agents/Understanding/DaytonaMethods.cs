namespace WorkflowEngine.Agents.Understanding;

/// <summary>The eight <c>daytona_environment</c> method names.</summary>
public static class DaytonaMethods
{
    /// <summary>Creates a sandbox.</summary>
    public const string CreateSandbox = "create_sandbox";

    /// <summary>Runs code in a language.</summary>
    public const string ExecuteCode = "execute_code";

    /// <summary>Runs a shell command.</summary>
    public const string ExecuteShell = "execute_shell";

    /// <summary>Reads, writes, lists, deletes, uploads or downloads files.</summary>
    public const string FileOperation = "file_operation";

    /// <summary>Runs a git operation.</summary>
    public const string GitOperation = "git_operation";

    /// <summary>Lists sandboxes.</summary>
    public const string ListSandboxes = "list_sandboxes";

    /// <summary>Deletes a sandbox.</summary>
    public const string DeleteSandbox = "delete_sandbox";

    /// <summary>Describes a sandbox.</summary>
    public const string GetSandboxInfo = "get_sandbox_info";

    /// <summary>All eight methods.</summary>
    public static IReadOnlyList<string> All { get; } =
        [CreateSandbox, ExecuteCode, ExecuteShell, FileOperation, GitOperation, ListSandboxes, DeleteSandbox, GetSandboxInfo];
}
