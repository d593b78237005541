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
    /// Opens a regular file for reading without following a final symlink and without blocking: a FIFO, device or
    /// socket planted by sandboxed code is refused instead of hanging the caller. Returns <see langword="null"/> and why otherwise.
    /// </summary>
    public static SafeFileHandle? OpenRegularFile(string path, out string? problem)
    {
        var fd = open(path, ORdonly | ONonBlock | OCloexec | ONoCtty | ONoFollow, 0);
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

    /// <summary>
    /// Opens a folder by path for use as a directory descriptor, without following a final symlink; only where openat2
    /// is missing (the caller checks where it really is through <c>/proc/self/fd</c>). <see langword="null"/> and the errno otherwise.
    /// </summary>
    public static SafeFileHandle? OpenDirectory(string path, out int errno)
    {
        var fd = open(path, ORdonly | ODirectory | OCloexec | ONoFollow, 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// An anonymous in-memory file (<c>memfd_create</c>, close-on-exec) holding <paramref name="content"/>: data for a child
    /// that must not appear on its command line or on disk. A child running as root, or as this process's user, opens it as
    /// <c>/proc/&lt;this pid&gt;/fd/&lt;fd&gt;</c> while the handle is open.
    /// </summary>
    public static SafeFileHandle CreateMemoryFile(string name, ReadOnlySpan<byte> content)
    {
        const uint mfdCloexec = 1;
        var fd = memfd_create(name, mfdCloexec);
        if (fd < 0)
        {
            throw new IOException($"memfd_create failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        RandomAccess.Write(handle, content, 0);
        return handle;
    }

    /// <summary>The path another process opens <paramref name="handle"/> by while this process holds it open.</summary>
    public static string ProcPath(SafeFileHandle handle) => $"/proc/{Environment.ProcessId}/fd/{handle.DangerousGetHandle()}";

    /// <summary>
    /// Marks every descriptor above 2 close-on-exec. .NET opens its own that way, but a process inherits whatever its
    /// parent left open (a CI runner's pipe, a terminal's log file), and every child would pass those on into sandboxes.
    /// </summary>
    public static void CloseOnExecAll()
    {
        const int getFlags = 1, setFlags = 2, closeOnExec = 1;
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fd)
                && fd > 2 && fcntl(fd, getFlags, 0) is var flags and >= 0 && (flags & closeOnExec) == 0)
            {
                fcntl(fd, setFlags, flags | closeOnExec);
            }
        }
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

    // O_NOFOLLOW and O_DIRECTORY differ between architectures (x86: 0400000 / 0200000, arm: 0100000 / 040000).
    private static int ONoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    private static int ODirectory => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

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

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    // fcntl is variadic; F_GETFD and F_SETFD take an int, passed the same way on x86_64 and aarch64.
    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);
}
