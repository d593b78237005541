using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>Files in a Daytona sandbox: not in this slice; every call fails as <see cref="SandboxErrorKind.Unavailable"/>.</summary>
internal sealed class NotImplementedFileSystem : ISandboxFileSystem
{
    /// <summary>The message of every call.</summary>
    public const string Message = "not implemented yet in the daytona provider";

    private static ValueTask<SandboxResult<T>> No<T>() => ValueTask.FromResult(SandboxResult<T>.Fail(SandboxErrorKind.Unavailable, Message));

    public ValueTask<SandboxResult<IReadOnlyList<FileEntry>>> ListAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<IReadOnlyList<FileEntry>>();

    public ValueTask<SandboxResult<FileEntry>> InfoAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<FileEntry>();

    public ValueTask<SandboxResult<byte[]>> ReadAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<byte[]>();

    public ValueTask<SandboxResult<FileEntry>> WriteAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => No<FileEntry>();

    public ValueTask<SandboxResult<FileEntry>> UploadAsync(string sandbox, string path, Stream content, CancellationToken cancellationToken = default) => No<FileEntry>();

    public ValueTask<SandboxResult<Unit>> DownloadAsync(string sandbox, string path, Stream destination, CancellationToken cancellationToken = default) => No<Unit>();

    public ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<Unit>();

    public ValueTask<SandboxResult<FileEntry>> CreateDirectoryAsync(string sandbox, string path, CancellationToken cancellationToken = default) => No<FileEntry>();

    public ValueTask<SandboxResult<FileEntry>> MoveAsync(string sandbox, string source, string destination, CancellationToken cancellationToken = default) => No<FileEntry>();
}
