using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace WorkflowEngine.Definitions;

/// <summary>
/// Reads a definition or prompt file with bounds: regular files only (a FIFO, a device such as <c>/dev/zero</c> or a
/// socket is refused without reading from it) and at most a given number of bytes.
/// </summary>
internal static partial class DefinitionFile
{
    private const int ORdonly = 0;
    private const int ONoctty = 0x100;
    private const int ONonblock = 0x800;
    private const int OCloexec = 0x80000;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;

    /// <summary>Reads the file's text, or returns why it cannot be read (a message that says what to do).</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="text">The text, when the result is <see langword="null"/>.</param>
    public static string? TryRead(string path, long maxBytes, out string text)
    {
        text = "";
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return $"'{path}' is not a regular file. Definitions are read from regular files only.";
            }

            using var portable = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadBounded(portable, path, maxBytes, out text);
        }

        // Non-blocking, so that opening a FIFO cannot wait for a writer; the type is then checked on the open
        // descriptor itself, so a file swapped after a check cannot slip through.
        var fd = open(path, ORdonly | ONonblock | OCloexec | ONoctty, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == 6 /* ENXIO: a socket, or a FIFO without a writer on some systems */
                ? NotRegular(path, "a socket")
                : $"'{path}' cannot be read: {Marshal.GetPInvokeErrorMessage(errno)}.";
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var stat = new byte[256];
        if (statx(fd, "", AtEmptyPath, StatxType | StatxSize, ref stat[0]) != 0)
        {
            return $"'{path}' cannot be read: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.";
        }

        // struct statx has the same layout on every architecture: stx_mode (u16) at 28, stx_size (u64) at 40.
        var type = BitConverter.ToUInt16(stat, 28) & 0xF000;
        if (type != 0x8000)
        {
            return NotRegular(path, type switch
            {
                0x1000 => "a FIFO",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0xC000 => "a socket",
                0x4000 => "a folder",
                _ => "not a regular file",
            });
        }

        var size = BitConverter.ToInt64(stat, 40);
        if (size > maxBytes)
        {
            return TooLarge(path, size, maxBytes);
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        return ReadBounded(stream, path, maxBytes, out text);
    }

    /// <summary>The message for a file over the size cap.</summary>
    public static string TooLarge(string path, long size, long maxBytes) =>
        $"'{path}' is {Describe(size)}, more than the {Describe(maxBytes)} a definition file may have. Split it into several files, or raise WorkflowEngineOptions.MaxDefinitionFileBytes.";

    private static string NotRegular(string path, string what) =>
        $"'{path}' is {what}, not a regular file. Definitions are read from regular files only; copy the content into a .yaml file.";

    /// <summary>Reads at most <paramref name="maxBytes"/> (the file may grow after its size was checked).</summary>
    private static string? ReadBounded(Stream stream, string path, long maxBytes, out string text)
    {
        text = "";
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return TooLarge(path, buffer.Length, maxBytes);
            }
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        text = reader.ReadToEnd();
        return null;
    }

    private static string Describe(long bytes) => bytes % (1024 * 1024) == 0 && bytes > 0
        ? $"{bytes / (1024 * 1024)} MiB"
        : $"{bytes:N0} bytes";

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
