using System.Runtime.InteropServices;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>The libc calls behind per-sandbox disk quotas: file system usage, device numbers, unmounting.</summary>
internal static partial class Native
{
    /// <summary><c>ENOSPC</c>: no space (or no inode) left on the file system.</summary>
    public const int ENoSpace = 28;

    /// <summary><c>EDQUOT</c>: a quota is exhausted.</summary>
    public const int EQuota = 122;

    private const int EBusy = 16;
    private const int MntDetach = 2;
    private const int UmountNoFollow = 8;

    /// <summary>
    /// Blocks and inodes of the file system holding <paramref name="path"/> (<c>statvfs</c>), as bytes and counts that
    /// unprivileged processes see; <see langword="null"/> when it cannot be read. The layout is glibc's on 64-bit Linux.
    /// </summary>
    public static unsafe FileSystemUsage? Usage(string path)
    {
        var buffer = stackalloc ulong[16];
        if (statvfs(path, buffer) != 0)
        {
            return null;
        }

        var fragment = buffer[1];
        return new FileSystemUsage(
            TotalBytes: (long)(buffer[2] * fragment),
            UsedBytes: (long)((buffer[2] - buffer[3]) * fragment),
            AvailableBytes: (long)(buffer[4] * fragment),
            TotalInodes: (long)buffer[5],
            UsedInodes: (long)(buffer[5] - buffer[6]),
            AvailableInodes: (long)buffer[7]);
    }

    /// <summary>The device (<c>stx_dev</c>) of the file system <paramref name="path"/> is on, following links; <see langword="null"/> when it cannot be read.</summary>
    public static unsafe ulong? Device(string path)
    {
        const uint statxType = 0x1;
        var buffer = stackalloc byte[256];
        if (statx(-100 /* AT_FDCWD */, path, 0, statxType, buffer) != 0)
        {
            return null;
        }

        return ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
    }

    /// <summary>
    /// Unmounts the file system mounted on <paramref name="target"/> (never following a link there); when something in it
    /// is still busy, detaches it lazily so that it goes once the last user does. Returns 0 or the errno.
    /// </summary>
    public static int Unmount(string target)
    {
        if (umount2(target, UmountNoFollow) == 0)
        {
            return 0;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != EBusy)
        {
            return errno;
        }

        return umount2(target, UmountNoFollow | MntDetach) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statvfs(string path, ulong* buffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}
