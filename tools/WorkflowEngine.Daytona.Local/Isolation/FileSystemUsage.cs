namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>What <c>statvfs</c> says about a file system, in bytes and inodes as an unprivileged process sees them.</summary>
internal sealed record FileSystemUsage(long TotalBytes, long UsedBytes, long AvailableBytes, long TotalInodes, long UsedInodes, long AvailableInodes);
