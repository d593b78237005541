using System.Globalization;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>The toolbox's <c>FileInfo</c>.</summary>
internal sealed record FileInfoView(
    string Name,
    long Size,
    string Mode,
    string Permissions,
    bool IsDir,
    string Owner,
    string Group,
    string ModTime,
    string ModifiedAt,
    string Path)
{
    private const string SandboxUserId = "1000";

    public static FileInfoView From(FileEntry entry)
    {
        var bits = int.TryParse(entry.Mode, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? Convert.ToInt32(entry.Mode, 8) & 0x1FF
            : entry.IsDirectory ? 0x1ED : 0x1A4;
        var symbolic = (entry.IsDirectory ? "d" : "-") + string.Concat(Enumerable.Range(0, 9).Select(i => (bits & (1 << (8 - i))) != 0 ? "rwx"[i % 3] : '-'));
        var modified = entry.ModifiedAt.UtcDateTime;
        return new FileInfoView(
            entry.Name,
            entry.Size,
            symbolic,
            "0" + Convert.ToString(bits, 8).PadLeft(3, '0'),
            entry.IsDirectory,
            // As the daemon reports them: numeric ids, as strings. Commands run as uid/gid 1000 inside the sandbox.
            SandboxUserId,
            SandboxUserId,
            modified.ToString("yyyy-MM-dd HH:mm:ss.fffffff +0000 'UTC'", CultureInfo.InvariantCulture),
            modified.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            entry.Path);
    }
}
