namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>The parts of <c>statx</c> the provider uses.</summary>
/// <param name="Mode">The full <c>st_mode</c>: type bits and permissions.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Modified">The modification time.</param>
internal readonly record struct FileStat(int Mode, long Size, DateTimeOffset Modified);
