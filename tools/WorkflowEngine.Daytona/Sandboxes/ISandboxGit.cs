namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>Git in a sandbox. Every value (message, branch, URL) is passed as its own argument, never through a shell.</summary>
public interface ISandboxGit
{
    /// <summary>Clones a repository into <paramref name="path"/>.</summary>
    ValueTask<SandboxResult<string>> CloneAsync(string sandbox, string url, string path, string? branch = null, CancellationToken cancellationToken = default);

    /// <summary>Describes the working tree.</summary>
    ValueTask<SandboxResult<GitStatus>> StatusAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Stages files (all changes when <paramref name="files"/> is empty).</summary>
    ValueTask<SandboxResult<string>> AddAsync(string sandbox, string path, IReadOnlyList<string> files, CancellationToken cancellationToken = default);

    /// <summary>Commits staged changes; returns the new commit's hash.</summary>
    ValueTask<SandboxResult<string>> CommitAsync(string sandbox, string path, string message, string? author = null, string? email = null, CancellationToken cancellationToken = default);

    /// <summary>Pushes the current branch to its remote.</summary>
    ValueTask<SandboxResult<string>> PushAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Pulls the current branch from its remote.</summary>
    ValueTask<SandboxResult<string>> PullAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Switches to a branch, creating it when it does not exist.</summary>
    ValueTask<SandboxResult<string>> CheckoutAsync(string sandbox, string path, string branch, CancellationToken cancellationToken = default);

    /// <summary>Lists local branches.</summary>
    ValueTask<SandboxResult<IReadOnlyList<string>>> BranchesAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Lists recent commits, newest first.</summary>
    ValueTask<SandboxResult<IReadOnlyList<GitCommit>>> LogAsync(string sandbox, string path, int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>Creates an empty repository at <paramref name="path"/>.</summary>
    ValueTask<SandboxResult<string>> InitAsync(string sandbox, string path, CancellationToken cancellationToken = default);
}
