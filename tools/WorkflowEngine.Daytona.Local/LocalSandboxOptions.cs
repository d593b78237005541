using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>Settings of the local provider. Every property has a documented default; <see cref="Validate"/> reports all problems at once.</summary>
public sealed class LocalSandboxOptions
{
    /// <summary>Where sandboxes and their registry live. Default: <c>WFE_HOME</c>, else <c>/var/lib/wfe</c> as root or <c>~/.local/share/wfe</c>.</summary>
    public string DataDirectory { get; set; } = WorkflowEngine.Hosting.WorkflowEngineOptions.DefaultDataDirectory();

    /// <summary>The unprivileged host uid and gid that sandboxed processes run as when wfe runs as root. Default 200000.</summary>
    public int SandboxUid { get; set; } = 200_000;

    /// <summary>Memory per sandbox in bytes. Default 512 MiB.</summary>
    public long MemoryBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Processes and threads per sandbox. Default 256.</summary>
    public int Pids { get; set; } = 256;

    /// <summary>CPU cores per sandbox. Default 1.</summary>
    public double Cpus { get; set; } = 1;

    /// <summary>The largest file a sandboxed process may write, in bytes (an rlimit, with or without a disk quota). Default 1 GiB.</summary>
    public long MaxFileBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>The wall-clock limit of one command. Default 60 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Captured output per stream; more is cut and reported as truncated. Default 1 MiB.</summary>
    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest file <c>read</c> returns whole (use download for more). Default 10 MiB.</summary>
    public long MaxReadBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>The largest file <c>write</c>/<c>upload</c> accepts. Default 100 MiB.</summary>
    public long MaxWriteBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The private <c>/tmp</c> size in bytes. Default 256 MiB.</summary>
    public long TmpBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long a non-persistent sandbox may sit unused. Default 1 hour.</summary>
    public TimeSpan EphemeralIdleTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a persistent sandbox may sit unused. Default 7 days.</summary>
    public TimeSpan PersistentIdleTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Run code without bubblewrap (<c>isolation: none</c>, level L3) when bubblewrap is missing; otherwise the provider
    /// refuses to run code rather than silently dropping isolation. Only for development machines. Default: false,
    /// unless the <c>WFE_ISOLATION</c> environment variable is <c>none</c> (the explicit opt-in).
    /// </summary>
    public bool AllowNoIsolation { get; set; } = string.Equals(Environment.GetEnvironmentVariable("WFE_ISOLATION"), "none", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// As root, remount cgroup2 with <c>favordynmods</c> so that joining a sandbox's cgroups does not wait for an RCU
    /// grace period (10–15 ms per command otherwise). systemd 253+ does the same by default. Default true.
    /// </summary>
    public bool FavorCgroupMigrations { get; set; } = true;

    /// <summary>
    /// How many sandboxes may keep a standby: a process already inside the sandbox that runs the next command, so
    /// that a command pays only its own start-up. Set 0 to start every command afresh. Default 8.
    /// </summary>
    public int MaxStandbys { get; set; } = 8;

    /// <summary>
    /// Keep one sandbox prepared (folder, cgroups and a standby) so that <c>create</c> followed by a first command
    /// costs about as much as running the command bare. It is refilled in the background after each use; the first
    /// create in a process is always cold. Default true.
    /// </summary>
    public bool WarmPool { get; set; } = true;

    /// <summary>How long to wait after a command or a pool hand-out before preparing the next standby or pooled sandbox. Default 100 ms.</summary>
    public TimeSpan PrewarmDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    // Disk quota (per sandbox; see Isolation/DiskQuotas).

    /// <summary>
    /// Give each sandbox's workspace a quota of <see cref="DiskBytes"/> and <see cref="DiskInodes"/> (its own ext4 file
    /// system in a sparse image under the data folder; needs root and loop devices). Where that is unavailable, sandboxes
    /// are created without one, <c>sandbox info</c> says so and why, and only <see cref="MaxFileBytes"/> applies; asking
    /// for a disk size explicitly then fails. Set false to go without quotas on purpose. Default true.
    /// </summary>
    public bool DiskQuota { get; set; } = true;

    /// <summary>The disk quota of a sandbox's workspace, in bytes, unless its resources ask for another. Default 2 GiB.</summary>
    public long DiskBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// How many files and folders a sandbox's workspace may hold, unless its resources ask for another; a disk too small
    /// for it gets one per 4 KiB. At most one per KiB of <see cref="DiskBytes"/>. Default 100,000.
    /// </summary>
    public long DiskInodes { get; set; } = 100_000;

    /// <summary>The path to bubblewrap. Default <c>/usr/bin/bwrap</c>.</summary>
    public string BwrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>
    /// The host folders local repositories (an absolute path or <c>file://</c> URL given to clone) must lie beneath, every
    /// symbolic link resolved. <c>/proc</c>, <c>/sys</c>, <c>/dev</c>, <c>/etc</c> and <see cref="DataDirectory"/> are
    /// refused whatever the roots, and so is a folder holding one of them. Default <see langword="null"/>: the current
    /// directory when the provider starts. Empty: no local repositories.
    /// </summary>
    public IReadOnlyList<string>? GitRoots { get; set; }

    // Maxima a caller may ask for: every create (tool, CLI, wfe serve) and every command is checked against them.

    /// <summary>The most memory one sandbox may ask for, in bytes. Default 8 GiB.</summary>
    public long MaxMemoryBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>The most CPU cores one sandbox may ask for. Default 4.</summary>
    public double MaxCpus { get; set; } = 4;

    /// <summary>The most processes and threads one sandbox may ask for. Default 4096.</summary>
    public int MaxPids { get; set; } = 4096;

    /// <summary>The most disk one sandbox may ask for, in bytes. Default 20 GiB.</summary>
    public long MaxDiskBytes { get; set; } = 20L * 1024 * 1024 * 1024;

    /// <summary>How many sandboxes this data folder may hold at once, started or stopped (prepared pool sandboxes aside). Default 64.</summary>
    public int MaxSandboxes { get; set; } = 64;

    /// <summary>The longest timeout one command may ask for. Default 1 hour.</summary>
    public TimeSpan MaxCommandTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The smallest disk quota a sandbox may have, in bytes (ext4 needs about this much for itself).</summary>
    internal const long MinDiskBytes = 1024 * 1024;

    /// <summary>The smallest file count a sandbox may have.</summary>
    internal const long MinDiskInodes = 16;

    /// <summary>Returns every problem with these settings in one message, or <see langword="null"/>.</summary>
    public string? Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("DataDirectory must be set (or set WFE_HOME).");
        }

        if (SandboxUid <= 0)
        {
            problems.Add($"SandboxUid must be a non-root uid (got {SandboxUid}).");
        }

        if (MemoryBytes < 16L * 1024 * 1024)
        {
            problems.Add($"MemoryBytes must be at least 16 MiB (got {MemoryBytes}).");
        }

        if (Pids < 8)
        {
            problems.Add($"Pids must be at least 8 (got {Pids}).");
        }

        if (Cpus <= 0)
        {
            problems.Add($"Cpus must be positive (got {Cpus}).");
        }

        if (CommandTimeout <= TimeSpan.Zero)
        {
            problems.Add($"CommandTimeout must be positive (got {CommandTimeout}).");
        }

        if (MaxOutputBytes < 1024 || MaxReadBytes < 1024 || MaxWriteBytes < 1024 || MaxFileBytes < 1024 || TmpBytes < 1024 * 1024)
        {
            problems.Add("MaxOutputBytes, MaxReadBytes, MaxWriteBytes and MaxFileBytes must be at least 1 KiB, TmpBytes at least 1 MiB.");
        }

        foreach (var root in GitRoots ?? [])
        {
            if (string.IsNullOrWhiteSpace(root) || !root.StartsWith('/'))
            {
                problems.Add($"GitRoots must hold absolute paths (got '{root}').");
            }
            else if (HostPathPolicy.SystemFolders.Append(DataDirectory).Any(f => !string.IsNullOrWhiteSpace(f) && HostPathPolicy.IsBeneath(root, f)))
            {
                problems.Add($"GitRoots must not name a folder in /proc, /sys, /dev, /etc or DataDirectory (got '{root}').");
            }
        }

        if (MaxMemoryBytes < MemoryBytes || MaxPids < Pids || !(MaxCpus >= Cpus) || !double.IsFinite(MaxCpus) || MaxCommandTimeout < CommandTimeout)
        {
            problems.Add($"MaxMemoryBytes, MaxPids, MaxCpus and MaxCommandTimeout must be finite and at least MemoryBytes, Pids, Cpus and CommandTimeout (got {MaxMemoryBytes} < {MemoryBytes}, {MaxPids} < {Pids}, {MaxCpus} < {Cpus} or {MaxCommandTimeout} < {CommandTimeout}).");
        }

        if (MaxDiskBytes < DiskBytes)
        {
            problems.Add($"MaxDiskBytes must be at least DiskBytes (got {MaxDiskBytes} < {DiskBytes}).");
        }

        if (MaxSandboxes < 1)
        {
            problems.Add($"MaxSandboxes must be at least 1 (got {MaxSandboxes}).");
        }

        // A command's timer cannot run longer than about 24.8 days (int.MaxValue milliseconds).
        if (MaxCommandTimeout > TimeSpan.FromMilliseconds(int.MaxValue))
        {
            problems.Add($"MaxCommandTimeout must be at most 24 days (got {MaxCommandTimeout}).");
        }

        if (DiskBytes < MinDiskBytes || DiskInodes < MinDiskInodes)
        {
            problems.Add($"DiskBytes must be at least 1 MiB and DiskInodes at least {MinDiskInodes} (got {DiskBytes} and {DiskInodes}).");
        }
        else if (DiskInodes > DiskBytes / 1024)
        {
            problems.Add($"DiskInodes ({DiskInodes}) must be at most one per KiB of DiskBytes ({DiskBytes / 1024}).");
        }

        return problems.Count == 0 ? null : "Invalid LocalSandboxOptions: " + string.Join(" ", problems);
    }
}
