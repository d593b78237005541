using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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

    /// <summary>
    /// Opens a regular file for reading, or for writing (created with mode 644 when missing), without following a
    /// final symlink and without blocking: a FIFO, device or socket planted by sandboxed code is refused instead of
    /// hanging the caller. Returns <see langword="null"/> and why otherwise.
    /// </summary>
    public static SafeFileHandle? OpenRegularFile(string path, bool forWrite, out string? problem)
    {
        var flags = (forWrite ? OWronly | OCreat : ORdonly) | ONonBlock | OCloexec | ONoCtty | ONoFollow;
        var fd = open(path, flags, 0b110_100_100);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            problem = errno switch
            {
                ELoop => "is a symbolic link",
                ENxio or EIsDir => "is not a regular file",
                _ => $"could not be opened (errno {errno})",
            };
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!IsRegularFile(handle))
        {
            handle.Dispose();
            problem = "is not a regular file";
            return null;
        }

        problem = null;
        return handle;
    }

    /// <summary>Whether an open descriptor is a regular file.</summary>
    public static bool IsRegularFile(SafeFileHandle handle) =>
        WithFd(handle, fd => Statx(fd, "", AtEmptyPath) is { } stat && (stat.Mode & 0xF000) == 0x8000);

    /// <summary>What <c>statx</c> says about an open descriptor; <see langword="null"/> when it cannot be read.</summary>
    public static FileStat? Stat(SafeFileHandle handle) => WithFd(handle, fd => Statx(fd, "", AtEmptyPath));

    /// <summary>
    /// What <c>statx</c> says about <paramref name="path"/> relative to <paramref name="directoryFd"/> (-100: the
    /// current folder) with <paramref name="flags"/>; <see langword="null"/> when it cannot be read. The layout is the
    /// same on every architecture.
    /// </summary>
    public static unsafe FileStat? Statx(int directoryFd, string path, int flags)
    {
        const uint statxBasic = 0x7FF;
        var buffer = stackalloc byte[256];
        if (statx(directoryFd, path, flags, statxBasic, buffer) != 0)
        {
            return null;
        }

        var seconds = *(long*)(buffer + 112);
        var nanoseconds = *(uint*)(buffer + 120);
        return new FileStat(*(ushort*)(buffer + 28), *(long*)(buffer + 40), DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100));
    }

    /// <summary>Runs <paramref name="action"/> on the descriptor of <paramref name="handle"/>, keeping the handle alive meanwhile.</summary>
    public static T WithFd<T>(SafeFileHandle handle, Func<int, T> action)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return action((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>A path's own modification time, not following a final symlink; <see langword="null"/> when it cannot be read.</summary>
    public static DateTimeOffset? LinkModifiedUtc(string path) => Statx(-100 /* AT_FDCWD */, path, AtSymlinkNoFollow)?.Modified;

    private const int ORdonly = 0;
    private const int OWronly = 1;
    private const int OCreat = 0x40;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloexec = 0x80000;
    private const int ELoop = 40;
    /// <summary><c>AT_EMPTY_PATH</c>: the descriptor itself is meant.</summary>
    public const int AtEmptyPath = 0x1000;

    /// <summary><c>AT_SYMLINK_NOFOLLOW</c>: a final link is described, not followed.</summary>
    public const int AtSymlinkNoFollow = 0x100;

    private const int ENxio = 6;
    private const int EIsDir = 21;

    // O_NOFOLLOW differs between architectures (x86: 0400000, arm: 0100000).
    private static int ONoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
