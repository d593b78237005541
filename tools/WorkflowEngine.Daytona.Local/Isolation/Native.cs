using System.Runtime.InteropServices;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>The few libc calls .NET has no managed API for.</summary>
internal static partial class Native
{
    public static bool IsRoot => geteuid() == 0;

    /// <summary>Changes the owner of a path without following a final symlink.</summary>
    public static void Chown(string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Changes the owner of a folder and everything under it (never following symlinks).</summary>
    public static void ChownTree(string path, int uid, int gid)
    {
        Chown(path, uid, gid);
        if (!Directory.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            Chown(entry.FullName, uid, gid);
        }
    }

    public static bool Kill(int pid, int signal) => kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
