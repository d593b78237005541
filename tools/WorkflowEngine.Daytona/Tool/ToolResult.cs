using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>Builds <c>daytona_environment</c> results: the original fields, always <c>success</c>, and <c>error</c>/<c>error_type</c> on failure.</summary>
internal static class ToolResult
{
    public static IReadOnlyDictionary<string, object?> Ok(string message, params (string Key, object? Value)[] fields)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["success"] = true };
        foreach (var (key, value) in fields)
        {
            result[key] = value;
        }

        result["message"] = message;
        return result;
    }

    public static IReadOnlyDictionary<string, object?> Fail(SandboxError error, params (string Key, object? Value)[] fields) =>
        Fail(error.TypeName, error.Message, fields);

    public static IReadOnlyDictionary<string, object?> Fail(string errorType, string error, params (string Key, object? Value)[] fields)
    {
        var result = ToolResults.Failure(errorType, error);
        foreach (var (key, value) in fields)
        {
            result[key] = value;
        }

        result["message"] = error;
        return result;
    }

    /// <summary>The result of running something: success when it exited with 0, else the kill reason or the exit code.</summary>
    public static IReadOnlyDictionary<string, object?> FromExecution(string sandboxId, ExecResult run, string what) =>
        run.ExitCode == 0
            ? Ok($"{what} ran in {sandboxId} and exited with 0.", Execution(sandboxId, run))
            : Fail(run.TimedOut ? "timeout" : run.OutOfMemory ? "limit_exceeded" : "nonzero_exit",
                run.KillReason ?? $"{what} exited with {run.ExitCode}.", Execution(sandboxId, run));

    public static (string, object?)[] Execution(string sandboxId, ExecResult result) =>
    [
        ("sandbox_id", sandboxId),
        ("exit_code", (long)result.ExitCode),
        ("stdout", result.Stdout),
        ("stderr", result.Stderr),
        ("execution_time", Math.Round(result.Duration.TotalSeconds, 4)),
        ("truncated", result.Truncated),
        ("timed_out", result.TimedOut),
        ("out_of_memory", result.OutOfMemory),
    ];
}
