namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>Runs commands and code in a sandbox.</summary>
public interface ISandboxProcess
{
    /// <summary>Runs a command given as an argument vector.</summary>
    ValueTask<SandboxResult<ExecResult>> ExecAsync(string sandbox, ExecRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs a snippet of code in the given language (python, javascript, typescript, bash).</summary>
    ValueTask<SandboxResult<ExecResult>> RunCodeAsync(string sandbox, string language, string code, TimeSpan? timeout = null, string? workingDirectory = null, CancellationToken cancellationToken = default);
}
