namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>Files in a sandbox. Paths are absolute under <c>/workspace</c> or relative to it; nothing outside it is reachable.</summary>
public interface ISandboxFileSystem
{
    /// <summary>Lists a folder.</summary>
    ValueTask<SandboxResult<IReadOnlyList<FileEntry>>> ListAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Describes a file or folder.</summary>
    ValueTask<SandboxResult<FileEntry>> InfoAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Reads a whole file (capped by the provider's read limit).</summary>
    ValueTask<SandboxResult<byte[]>> ReadAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Writes a whole file, creating parent folders.</summary>
    ValueTask<SandboxResult<FileEntry>> WriteAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Streams content into a file, creating parent folders.</summary>
    ValueTask<SandboxResult<FileEntry>> UploadAsync(string sandbox, string path, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Streams a file out.</summary>
    ValueTask<SandboxResult<Unit>> DownloadAsync(string sandbox, string path, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file, or a folder with everything in it.</summary>
    ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Creates a folder and its parents.</summary>
    ValueTask<SandboxResult<FileEntry>> CreateDirectoryAsync(string sandbox, string path, CancellationToken cancellationToken = default);

    /// <summary>Moves or renames a file or folder.</summary>
    ValueTask<SandboxResult<FileEntry>> MoveAsync(string sandbox, string source, string destination, CancellationToken cancellationToken = default);
}
