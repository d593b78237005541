using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>Why <see cref="BeneathOpen"/> did not return a handle.</summary>
internal enum BeneathFailure
{
    None,

    /// <summary>openat2 is missing (kernel before 5.6, or filtered by seccomp): use the path-based open.</summary>
    Unsupported,

    /// <summary>The resolution tried to leave the workspace.</summary>
    Outside,

    /// <summary>A component (final or not) is a symbolic link, which a resolved path never contains unless swapped in.</summary>
    SymbolicLink,

    /// <summary>The path (or a folder on it) does not exist, or a component is not a folder.</summary>
    NotFound,

    NotRegular,
    Other,
}

/// <summary>
/// Opens files (and creates folders) under a workspace with Linux <c>openat2(2)</c> and <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
/// RESOLVE_NO_MAGICLINKS</c> relative to the workspace folder, so the kernel itself refuses any path that leaves it,
/// even through a folder swapped for a symlink between checking and opening; nothing is ever created outside.
/// The paths given are already resolved by <see cref="WorkspacePaths"/> (in-workspace links followed the way the
/// sandbox sees them), so any link met here appeared afterwards and is refused.
/// </summary>
internal static unsafe partial class BeneathOpen
{
    private const long SysOpenat2 = 437; // the same number on every architecture (added after the syscall tables were unified)
    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveBeneath = 0x08;
    private const int ORdonly = 0;
    private const int OWronly = 1;
    private const int OCreat = 0x40;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloexec = 0x80000;
    private const int OPath = 0x200000;
    private const int Mode600 = 0b110_000_000;
    private const int OExcl = 0x80;
    private const int EXdev = 18;
    private const int ELoop = 40;
    private const int ENosys = 38;
    private const int ENxio = 6;
    private const int ENoent = 2;
    private const int EExist = 17;
    private const int ENotDir = 20;
    private const int EIsDir = 21;
    private const int AtSymlinkNoFollow = Native.AtSymlinkNoFollow;
    private const int AtRemoveDir = 0x200;
    private const int EPerm = 1;
    private const uint RenameNoReplace = 1;
    private const int MaxDeleteDepth = 4096;

    private static volatile bool _unsupported = !(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64);

    // O_NOFOLLOW and O_DIRECTORY differ between architectures (x86: 0400000 / 0200000, arm: 0100000 / 040000).
    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    private static int ONoFollow => IsArm ? 0x8000 : 0x20000;

    private static int ODirectory => IsArm ? 0x4000 : 0x10000;

    /// <summary>
    /// Opens a regular file at <paramref name="hostPath"/> (under <paramref name="root"/>) for reading, without blocking
    /// on a FIFO and refusing anything that is not a regular file.
    /// </summary>
    public static SafeFileHandle? OpenRegularFile(string root, string hostPath, out BeneathFailure failure, out int errno)
    {
        var flags = ORdonly | ONonBlock | OCloexec | ONoCtty | ONoFollow;
        var handle = Open(root, hostPath, flags, out failure, out errno);
        if (handle is not null && !Native.IsRegularFile(handle))
        {
            handle.Dispose();
            failure = BeneathFailure.NotRegular;
            return null;
        }

        return handle;
    }

    /// <summary>Opens a path (file or folder) under <paramref name="root"/> with <c>O_PATH</c>, only to describe it.</summary>
    public static SafeFileHandle? OpenPath(string root, string hostPath, out BeneathFailure failure, out int errno) =>
        Open(root, hostPath, OPath | OCloexec, out failure, out errno);

    /// <summary>
    /// Creates the folder <paramref name="hostPath"/> (mode 777 less the umask, like <see cref="Directory.CreateDirectory(string)"/>)
    /// in its parent opened beneath <paramref name="root"/>, and gives it to <paramref name="uid"/> when that is not negative.
    /// A folder that appeared meanwhile is left as it is.
    /// </summary>
    public static BeneathFailure CreateDirectory(string root, string hostPath, int uid, out int errno)
    {
        using var parent = Open(root, Path.GetDirectoryName(hostPath)!, OPath | ODirectory | OCloexec, out var failure, out errno);
        if (parent is null)
        {
            return failure;
        }

        var name = Path.GetFileName(hostPath);
        var added = false;
        parent.DangerousAddRef(ref added);
        try
        {
            var fd = (int)parent.DangerousGetHandle();
            if (mkdirat(fd, name, 0b111_111_111) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return errno == EExist ? BeneathFailure.None : BeneathFailure.Other;
            }

            // Relative to the pinned parent and not following the name: a link renamed in meanwhile is changed, never its target.
            if (uid >= 0 && fchownat(fd, name, uid, uid, AtSymlinkNoFollow) != 0)
            {
                throw new IOException($"chown {hostPath} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            if (added)
            {
                parent.DangerousRelease();
            }
        }

        return BeneathFailure.None;
    }

    /// <summary>Opens the folder <paramref name="hostPath"/> (under <paramref name="root"/>, or the root itself) for reading its entries.</summary>
    public static SafeFileHandle? OpenDirectory(string root, string hostPath, out BeneathFailure failure, out int errno) =>
        Open(root, hostPath, ORdonly | ODirectory | ONoFollow | OCloexec, out failure, out errno);

    /// <summary>
    /// The names in an opened folder. Read through <c>/proc/self/fd</c>, which leads to the very folder the descriptor
    /// pins, never to whatever its path leads to now.
    /// </summary>
    public static List<string> Names(SafeFileHandle directory) =>
        Native.WithFd(directory, fd => Directory.EnumerateFileSystemEntries($"/proc/self/fd/{fd}").Select(e => Path.GetFileName(e)).ToList());

    /// <summary>
    /// Describes <paramref name="name"/> in an opened folder without following it (a link is described as a link);
    /// <see langword="null"/> when it is gone.
    /// </summary>
    public static (bool IsDirectory, bool IsLink, long Size, DateTimeOffset Modified, int Mode)? DescribeAt(SafeFileHandle directory, string name) =>
        Native.WithFd(directory, fd => Native.Statx(fd, name, AtSymlinkNoFollow)) is { } stat
            ? ((stat.Mode & 0xF000) == 0x4000, (stat.Mode & 0xF000) == 0xA000, stat.Size, stat.Modified, stat.Mode & 0xFFF)
            : null;

    /// <summary>
    /// Deletes <paramref name="name"/> from an opened folder: a file or link by unlinkat, a folder by a walk that opens
    /// every level relative to the one above with <c>O_NOFOLLOW | O_DIRECTORY</c>, so a link swapped in anywhere is
    /// unlinked itself and never followed. Returns 0 or the errno of the first failure.
    /// </summary>
    public static int DeleteAt(SafeFileHandle directory, string name) => Native.WithFd(directory, fd => DeleteAt(fd, name, depth: 0));

    /// <summary>
    /// Renames between two opened folders, refusing to replace an existing destination (<c>RENAME_NOREPLACE</c>).
    /// Returns 0 or the errno.
    /// </summary>
    public static int RenameAt(SafeFileHandle fromDirectory, string fromName, SafeFileHandle toDirectory, string toName) =>
        Native.WithFd(fromDirectory, from => Native.WithFd(toDirectory, to =>
            renameat2(from, fromName, to, toName, RenameNoReplace) == 0 ? 0 : Marshal.GetLastPInvokeError()));

    /// <summary>
    /// Creates a new file <paramref name="name"/> in an opened folder for writing: <c>O_CREAT | O_EXCL</c>, so a link or
    /// anything else already there is never opened, and mode 600 whatever the umask. <see langword="null"/> and the errno otherwise.
    /// </summary>
    public static SafeFileHandle? CreateExclusive(SafeFileHandle directory, string name, out int errno)
    {
        var fd = Native.WithFd(directory, parent => openat(parent, name, OWronly | OCreat | OExcl | ONoFollow | OCloexec | ONoCtty, Mode600));
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Renames <paramref name="fromName"/> to <paramref name="toName"/> in one opened folder, replacing a file there atomically. Returns 0 or the errno.</summary>
    public static int ReplaceAt(SafeFileHandle directory, string fromName, string toName) =>
        Native.WithFd(directory, fd => renameat2(fd, fromName, fd, toName, 0) == 0 ? 0 : Marshal.GetLastPInvokeError());

    /// <summary>Removes the file or link <paramref name="name"/> from an opened folder (never a folder). Returns 0 or the errno.</summary>
    public static int RemoveFileAt(SafeFileHandle directory, string name) =>
        Native.WithFd(directory, fd => unlinkat(fd, name, 0) == 0 ? 0 : Marshal.GetLastPInvokeError());

    private static int DeleteAt(int parent, string name, int depth)
    {
        if (unlinkat(parent, name, 0) == 0)
        {
            return 0;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != EIsDir && errno != EPerm)
        {
            return errno;
        }

        if (depth > MaxDeleteDepth)
        {
            return ELoop;
        }

        // Not a link (unlinkat would have removed it), so a folder: open it beneath the parent, never following a link.
        var child = openat(parent, name, ORdonly | ODirectory | ONoFollow | OCloexec, 0);
        if (child < 0)
        {
            // Not a folder after all (EPERM from a sticky or immutable entry): report why unlinkat refused.
            var opening = Marshal.GetLastPInvokeError();
            return opening == ENotDir ? errno : opening;
        }

        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{child}").Select(e => Path.GetFileName(e)).ToList())
            {
                var failed = DeleteAt(child, entry, depth + 1);
                if (failed != 0 && failed != ENoent)
                {
                    return failed;
                }
            }
        }
        finally
        {
            close(child);
        }

        return unlinkat(parent, name, AtRemoveDir) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>What <c>statx</c> says about an open descriptor; <see langword="null"/> when it cannot be read.</summary>
    public static (bool IsDirectory, long Size, DateTimeOffset Modified, int Mode)? Describe(SafeFileHandle handle) =>
        Native.Stat(handle) is { } stat ? ((stat.Mode & 0xF000) == 0x4000, stat.Size, stat.Modified, stat.Mode & 0xFFF) : null;

    /// <summary>Changes an open file's owner (no path lookup, so no link can redirect it).</summary>
    public static void Chown(SafeFileHandle handle, int uid, int gid)
    {
        if (Native.WithFd(handle, fd => fchown(fd, uid, gid)) != 0)
        {
            throw new IOException($"fchown failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static SafeFileHandle? Open(string root, string hostPath, int flags, out BeneathFailure failure, out int errno)
    {
        errno = 0;
        if (_unsupported)
        {
            failure = BeneathFailure.Unsupported;
            return null;
        }

        var relative = Path.GetRelativePath(root, hostPath);
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            failure = BeneathFailure.Outside;
            return null;
        }

        var rootFd = open(root, OPath | ODirectory | OCloexec, 0);
        if (rootFd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            failure = BeneathFailure.Other;
            return null;
        }

        long fd;
        try
        {
            var how = new OpenHow { Flags = (ulong)flags, Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks };
            fd = openat2(SysOpenat2, rootFd, relative, &how, (nuint)sizeof(OpenHow));
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        finally
        {
            close(rootFd);
        }

        if (fd >= 0)
        {
            failure = BeneathFailure.None;
            return new SafeFileHandle((nint)fd, ownsHandle: true);
        }

        if (errno == ENosys)
        {
            _unsupported = true;
        }

        failure = errno switch
        {
            ENosys => BeneathFailure.Unsupported,
            EXdev => BeneathFailure.Outside,
            ELoop => BeneathFailure.SymbolicLink,
            ENoent or ENotDir => BeneathFailure.NotFound,
            ENxio or EIsDir => BeneathFailure.NotRegular,
            _ => BeneathFailure.Other,
        };
        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    // libc's syscall(2) is variadic; a fixed signature is passed identically on x86_64 and aarch64 (integers in registers).
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long openat2(long number, int dirfd, string path, OpenHow* how, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdirat(int dirfd, string path, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchownat(int dirfd, string path, int owner, int group, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchown(int fd, int owner, int group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int openat(int dirfd, string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlinkat(int dirfd, string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

}
