namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>A file or folder in a sandbox.</summary>
/// <param name="Path">The absolute path inside the sandbox, under <c>/workspace</c>.</param>
/// <param name="Name">The last path component.</param>
/// <param name="IsDirectory">Whether it is a folder.</param>
/// <param name="Size">The size in bytes (0 for folders).</param>
/// <param name="ModifiedAt">The last change.</param>
/// <param name="Mode">The permission bits in octal, such as <c>644</c>.</param>
public sealed record FileEntry(string Path, string Name, bool IsDirectory, long Size, DateTimeOffset ModifiedAt, string Mode);
