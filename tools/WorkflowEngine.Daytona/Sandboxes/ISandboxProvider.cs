namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>
/// Where sandboxes live: the embedded local provider or Daytona's REST API. Sandboxes are addressed by id
/// or name. Operations are grouped as Daytona's SDKs group them: lifecycle here, then
/// <see cref="Process"/>, <see cref="Files"/> and <see cref="Git"/>. Expected failures are results, not exceptions.
/// </summary>
public interface ISandboxProvider
{
    /// <summary>A short name for messages and <c>--backend</c>: <c>local</c> or <c>daytona</c>.</summary>
    string Name { get; }

    /// <summary>Running commands and code.</summary>
    ISandboxProcess Process { get; }

    /// <summary>Files in the workspace.</summary>
    ISandboxFileSystem Files { get; }

    /// <summary>Git in the workspace.</summary>
    ISandboxGit Git { get; }

    /// <summary>Creates and starts a sandbox.</summary>
    ValueTask<SandboxResult<SandboxInfo>> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Finds a sandbox by id or name.</summary>
    ValueTask<SandboxResult<SandboxInfo>> GetAsync(string sandbox, CancellationToken cancellationToken = default);

    /// <summary>Lists all sandboxes.</summary>
    ValueTask<SandboxResult<IReadOnlyList<SandboxInfo>>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops every process of a sandbox and removes it with its files.</summary>
    ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, CancellationToken cancellationToken = default);

    /// <summary>Starts a stopped sandbox.</summary>
    ValueTask<SandboxResult<SandboxInfo>> StartAsync(string sandbox, CancellationToken cancellationToken = default);

    /// <summary>Stops a sandbox's processes, keeping its files.</summary>
    ValueTask<SandboxResult<SandboxInfo>> StopAsync(string sandbox, CancellationToken cancellationToken = default);
}
