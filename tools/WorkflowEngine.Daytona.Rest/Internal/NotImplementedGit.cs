using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>Git in a Daytona sandbox: not in this slice; every call fails as <see cref="SandboxErrorKind.Unavailable"/>.</summary>
internal sealed class NotImplementedGit : ISandboxGit
{
    private static ValueTask<SandboxResult<T>> No<T>() => ValueTask.FromResult(SandboxResult<T>.Fail(SandboxErrorKind.Unavailable, NotImplementedFileSystem.Message));

    public ValueTask<SandboxResult<string>> CloneAsync(string sandbox, string url, string path, string? branch = null, CancellationToken cancellationToken = default) => No<string>();

    public ValueTask<SandboxResult<GitStatus>> StatusAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<GitStatus>();

    public ValueTask<SandboxResult<string>> AddAsync(string sandbox, string path, IReadOnlyList<string> files, CancellationToken cancellationToken = default) => No<string>();

    public ValueTask<SandboxResult<string>> CommitAsync(string sandbox, string path, string message, string? author = null, string? email = null, CancellationToken cancellationToken = default) => No<string>();

    public ValueTask<SandboxResult<string>> PushAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<string>();

    public ValueTask<SandboxResult<string>> PullAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<string>();

    public ValueTask<SandboxResult<string>> CheckoutAsync(string sandbox, string path, string branch, CancellationToken cancellationToken = default) => No<string>();

    public ValueTask<SandboxResult<IReadOnlyList<string>>> BranchesAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<IReadOnlyList<string>>();

    public ValueTask<SandboxResult<IReadOnlyList<GitCommit>>> LogAsync(string sandbox, string path, int limit = 20, CancellationToken cancellationToken = default) => No<IReadOnlyList<GitCommit>>();

    public ValueTask<SandboxResult<string>> InitAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<string>();
}
