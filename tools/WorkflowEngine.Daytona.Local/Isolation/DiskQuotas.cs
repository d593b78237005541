using System.Diagnostics;
using System.Globalization;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>
/// Per-sandbox disk quotas. Each workspace is its own ext4 file system in a sparse image beside it
/// (<c>sandboxes/&lt;id&gt;/disk.img</c>, readable by root only, outside every sandbox's view), loop-mounted on the
/// workspace folder: the image's size is the byte quota and its inode count the file quota, both enforced by the
/// kernel ("No space left on device"), and the host disk holds only the blocks written. ext4 rather than one shared
/// btrfs with qgroups because btrfs has no inode limit and ext4 project quotas are not built into every kernel; the
/// cost (≈ 0.1 s for mkfs and mount) is paid while the warm pool prepares a sandbox, not on the warm create.
/// Needs root, loop devices and mkfs.ext4; otherwise <see cref="Available"/> is false and <see cref="Detail"/> says why.
/// </summary>
internal sealed class DiskQuotas
{
    private const string ImageName = "disk.img";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly SandboxLayout _layout;
    private readonly Lock _mounting = new();
    private readonly string? _mkfs;
    private readonly string? _mount;
    private readonly string? _losetup;

    public DiskQuotas(LocalSandboxOptions options, SandboxLayout layout, bool root)
    {
        _layout = layout;
        _mkfs = FirstExisting("/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4");
        _mount = FirstExisting("/usr/bin/mount", "/bin/mount");
        _losetup = FirstExisting("/usr/sbin/losetup", "/sbin/losetup");
        var unavailable = !options.DiskQuota ? "disabled by the DiskQuota option"
            : !root ? "wfe does not run as root, and mounting a file system per sandbox needs root"
            : !File.Exists("/dev/loop-control") ? "this machine has no loop devices (/dev/loop-control is missing; `modprobe loop`)"
            : _mkfs is null ? "mkfs.ext4 was not found (`apt-get install -y e2fsprogs`)"
            : _mount is null ? "mount was not found (`apt-get install -y mount`)"
            : !KernelHasExt4() ? "the kernel has no ext4 file system"
            : null;
        Available = unavailable is null;
        Detail = unavailable is null ? "enforced: an ext4 file system per sandbox" : "unavailable: " + unavailable;
    }

    /// <summary>Whether quotas can be enforced here.</summary>
    public bool Available { get; }

    /// <summary><c>enforced: …</c>, or <c>unavailable: </c> and why.</summary>
    public string Detail { get; }

    /// <summary>The clear result for a write refused by the quota; names the limits and the fix.</summary>
    public static string ExceededMessage(long bytes, long inodes) =>
        $"disk quota exceeded: the sandbox's limit is {Size(bytes)} and {inodes.ToString("N0", CultureInfo.InvariantCulture)} files; delete files or create the sandbox with more disk (resources disk_bytes, disk_inodes).";

    /// <summary>
    /// The line added to a command's stderr when it hit the quota: it reported ENOSPC or EDQUOT and the workspace is
    /// (nearly) full. ext4 refuses a write while keeping a small reserve, so "full" means under 1/16 of the bytes or
    /// of the inodes left (at least 1 MiB, 16 inodes); an ENOSPC from the private /tmp alone is not reported as the quota.
    /// </summary>
    public static string? ExceededNote(string workspace, long bytes, long inodes, string stderr)
    {
        if ((!stderr.Contains("No space left on device", StringComparison.Ordinal) && !stderr.Contains("Disk quota exceeded", StringComparison.Ordinal))
            || Native.Usage(workspace) is not { } usage)
        {
            return null;
        }

        var full = usage.AvailableBytes < Math.Max(1L << 20, usage.TotalBytes / 16) || usage.AvailableInodes < Math.Max(16, usage.TotalInodes / 16);
        return full ? "wfe: " + ExceededMessage(bytes, inodes) : null;
    }

    /// <summary>The most files a disk of <paramref name="bytes"/> can hold: one per KiB (ext4's inode table takes a quarter of it then).</summary>
    public static long MaxInodes(long bytes) => bytes / 1024;

    /// <summary>The file quota when none is asked for: the configured one, or one per 4 KiB of a disk too small for it.</summary>
    public static long DefaultInodes(long bytes, long configured) => Math.Max(LocalSandboxOptions.MinDiskInodes, Math.Min(configured, bytes / 4096));

    /// <summary>A byte count as limits are written: in GiB from 1 GiB, in MiB from 1 MiB, else in bytes.</summary>
    public static string Size(long bytes) =>
        bytes % (1L << 30) == 0 && bytes > 0 ? $"{bytes >> 30} GiB"
        : bytes % (1L << 20) == 0 && bytes > 0 ? $"{bytes >> 20} MiB"
        : bytes >= 1L << 30 ? $"{(bytes / (double)(1L << 30)).ToString("0.###", CultureInfo.InvariantCulture)} GiB"
        : bytes >= 1L << 20 ? $"{(bytes / (double)(1L << 20)).ToString("0.###", CultureInfo.InvariantCulture)} MiB"
        : $"{bytes} bytes";

    public string Image(string id) => Path.Combine(_layout.SandboxDirectory(id), ImageName);

    /// <summary>
    /// Makes the sandbox's image (sparse, <paramref name="bytes"/> long, room for <paramref name="inodes"/> files and
    /// folders) and mounts it on the workspace folder, whose root then belongs to <paramref name="uid"/> with mode 700.
    /// Throws <see cref="IOException"/> with the tool's message when a step fails; <see cref="Release"/> undoes any part.
    /// </summary>
    public void Create(string id, long bytes, long inodes, int uid)
    {
        var image = Image(id);
        using (var file = new FileStream(image, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            // ftruncate: no block is allocated until the file system writes one.
            file.SetLength(bytes);
        }

        // Root's uid owns the folder only until the mount covers it: a workspace left unmounted is closed to the sandbox.
        File.SetUnixFileMode(_layout.Workspace(id), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        List<string> mkfs = ["-q", "-F", "-t", "ext4", "-m", "0", "-I", "256",

            // The first 11 inodes are reserved and the root folder takes one: give the sandbox the count it asked for.
            "-N", (inodes + 16).ToString(CultureInfo.InvariantCulture),
            "-E", $"root_owner={uid}:{uid},lazy_itable_init=1,lazy_journal_init=1,nodiscard"];
        if (bytes >= 64L << 20)
        {
            // The default journal of a 2 GiB file system is 64 MiB of the sandbox's quota; 4 MiB is ample here.
            mkfs.AddRange(["-J", "size=4"]);
        }

        mkfs.Add(image);
        Run(_mkfs!, mkfs);
        Mount(id);
        var workspace = _layout.Workspace(id);
        File.SetUnixFileMode(workspace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // e2fsck recreates lost+found when it needs one; the sandbox starts with an empty workspace.
        Directory.Delete(Path.Combine(workspace, "lost+found"));
    }

    /// <summary>Mounts the image again when the workspace lost its mount (after a reboot); a no-op for sandboxes without one.</summary>
    public void EnsureMounted(string id)
    {
        if (IsMounted(id) || !File.Exists(Image(id)))
        {
            return;
        }

        lock (_mounting)
        {
            if (!IsMounted(id))
            {
                Mount(id);
            }
        }
    }

    /// <summary>Whether the workspace folder has a file system of its own mounted on it.</summary>
    public bool IsMounted(string id) =>
        Native.Device(_layout.Workspace(id)) is { } workspace && Native.Device(_layout.SandboxDirectory(id)) is { } parent && workspace != parent;

    /// <summary>Used and total bytes and inodes of a mounted workspace, or <see langword="null"/>.</summary>
    public FileSystemUsage? Usage(string id) => IsMounted(id) ? Native.Usage(_layout.Workspace(id)) : null;

    /// <summary>
    /// Unmounts the workspace (lazily when a process still uses it), detaches a loop device still holding the image and
    /// deletes the image. Safe on a sandbox that has none of these, or only some (a crash half-way through a create).
    /// </summary>
    public void Release(string id)
    {
        var workspace = _layout.Workspace(id);
        if (IsMounted(id) && Native.Unmount(workspace) is var errno and not 0)
        {
            throw new IOException($"Could not unmount the workspace of sandbox {id} (errno {errno}).");
        }

        DetachLoops(_layout.SandboxDirectory(id) + "/");
        File.Delete(Image(id));
    }

    /// <summary>
    /// Detaches loop devices backed by an image under <paramref name="prefix"/> (the sandboxes folder, or one sandbox's)
    /// that no mount uses: left by a process that crashed between attaching and mounting. A mounted one is left alone;
    /// the mount releases it on unmount.
    /// </summary>
    public void DetachLoops(string prefix)
    {
        if (!Available || _losetup is null || !Directory.Exists("/sys/block"))
        {
            return;
        }

        var mounts = File.ReadAllText("/proc/self/mountinfo");
        foreach (var device in Directory.EnumerateDirectories("/sys/block", "loop*"))
        {
            string backing;
            try
            {
                backing = File.ReadAllText(Path.Combine(device, "loop", "backing_file")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue;
            }

            if (!backing.StartsWith(prefix, StringComparison.Ordinal) || mounts.Contains(" /dev/" + Path.GetFileName(device) + " ", StringComparison.Ordinal))
            {
                continue;
            }

            TryRun(_losetup, ["-d", "/dev/" + Path.GetFileName(device)]);
        }
    }

    private void Mount(string id) =>
        Run(_mount!, ["-t", "ext4", "-o", "loop,nosuid,nodev,noatime,noinit_itable", Image(id), _layout.Workspace(id)]);

    private static void Run(string file, IReadOnlyList<string> arguments)
    {
        if (TryRun(file, arguments) is { } problem)
        {
            throw new IOException($"{Path.GetFileName(file)} failed: {problem}");
        }
    }

    /// <summary>Runs a tool with an argument vector and an empty environment; returns <see langword="null"/> or what went wrong.</summary>
    private static string? TryRun(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ToolTimeout))
            {
                process.Kill(entireProcessTree: true);
                return $"it did not finish within {ToolTimeout.TotalSeconds:0} s";
            }

            return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {(stderr.GetAwaiter().GetResult() + stdout.GetAwaiter().GetResult()).Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }

    private static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);

    private static bool KernelHasExt4()
    {
        try
        {
            return File.ReadAllText("/proc/filesystems").Contains("\text4\n", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
