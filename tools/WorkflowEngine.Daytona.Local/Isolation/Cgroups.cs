using System.Globalization;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>Creates, limits, kills and removes the per-sandbox cgroups, on v1 or v2 as detected.</summary>
internal sealed class Cgroups(CgroupMode mode, string product = "wfe")
{
    private const string Root = "/sys/fs/cgroup";
    private static readonly string[] V1Controllers = ["memory", "pids", "cpu"];

    public CgroupMode Mode { get; } = mode;

    /// <summary>Detects the mode by creating the product's parent cgroups and writing a limit.</summary>
    public static CgroupMode Detect(string product = "wfe")
    {
        try
        {
            if (File.Exists(Path.Combine(Root, "cgroup.controllers")))
            {
                var parent = Path.Combine(Root, product);
                Directory.CreateDirectory(parent);
                var available = File.ReadAllText(Path.Combine(Root, "cgroup.controllers"));
                if (!available.Contains("memory", StringComparison.Ordinal) || !available.Contains("pids", StringComparison.Ordinal))
                {
                    return CgroupMode.None;
                }

                File.WriteAllText(Path.Combine(Root, "cgroup.subtree_control"), "+memory +pids +cpu");
                File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), "+memory +pids +cpu");
                return CgroupMode.V2;
            }

            if (File.Exists(Path.Combine(Root, "memory", "tasks")))
            {
                foreach (var controller in V1Controllers)
                {
                    Directory.CreateDirectory(Path.Combine(Root, controller, product));
                }

                File.WriteAllText(Path.Combine(Root, "pids", product, "pids.max"), "max");
                if (Directory.Exists(Path.Combine(Root, "unified")))
                {
                    Directory.CreateDirectory(Path.Combine(Root, "unified", product));
                }

                return CgroupMode.V1;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CgroupMode.None;
        }

        return CgroupMode.None;
    }

    /// <summary>The <c>cgroup.procs</c> files a process must join to be limited.</summary>
    public IReadOnlyList<string> ProcsFiles(string id) => Directories(id).Select(d => Path.Combine(d, "cgroup.procs")).ToList();

    public void Create(string id, CgroupLimits limits)
    {
        foreach (var directory in Directories(id))
        {
            Directory.CreateDirectory(directory);
        }

        var cpuQuota = (long)Math.Round(limits.Cpus * 100_000);
        if (Mode == CgroupMode.V2)
        {
            var directory = Path.Combine(Root, product, id);
            File.WriteAllText(Path.Combine(directory, "memory.max"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
            TryWrite(Path.Combine(directory, "memory.swap.max"), "0");
            File.WriteAllText(Path.Combine(directory, "pids.max"), limits.Pids.ToString(CultureInfo.InvariantCulture));
            TryWrite(Path.Combine(directory, "cpu.max"), $"{cpuQuota} 100000");
        }
        else if (Mode == CgroupMode.V1)
        {
            // memsw may never be below the memory limit: raising (a pooled sandbox claimed with more memory) needs memsw
            // first, lowering needs it last. The first write fails harmlessly when lowering.
            var memory = limits.MemoryBytes.ToString(CultureInfo.InvariantCulture);
            TryWrite(Path.Combine(Root, "memory", product, id, "memory.memsw.limit_in_bytes"), memory);
            File.WriteAllText(Path.Combine(Root, "memory", product, id, "memory.limit_in_bytes"), memory);
            TryWrite(Path.Combine(Root, "memory", product, id, "memory.memsw.limit_in_bytes"), memory);
            File.WriteAllText(Path.Combine(Root, "pids", product, id, "pids.max"), limits.Pids.ToString(CultureInfo.InvariantCulture));
            TryWrite(Path.Combine(Root, "cpu", product, id, "cpu.cfs_period_us"), "100000");
            TryWrite(Path.Combine(Root, "cpu", product, id, "cpu.cfs_quota_us"), cpuQuota.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Creates the sandbox's cgroups again when any of them is missing (cgroups do not survive a reboot).</summary>
    public void Ensure(string id, CgroupLimits limits)
    {
        if (Directories(id).Any(d => !Directory.Exists(d)))
        {
            Create(id, limits);
        }
    }

    /// <summary>How many times the kernel's OOM killer has fired in the sandbox's memory cgroup.</summary>
    public long OomKills(string id)
    {
        var file = Mode switch
        {
            CgroupMode.V2 => Path.Combine(Root, product, id, "memory.events"),
            CgroupMode.V1 => Path.Combine(Root, "memory", product, id, "memory.oom_control"),
            _ => null,
        };
        if (file is null || !File.Exists(file))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith("oom_kill ", StringComparison.Ordinal))
            {
                return long.Parse(line["oom_kill ".Length..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>Kills every process in the sandbox's cgroups.</summary>
    public void Kill(string id)
    {
        var killFile = Mode == CgroupMode.V2 ? Path.Combine(Root, product, id, "cgroup.kill") : Path.Combine(Root, "unified", product, id, "cgroup.kill");
        if (File.Exists(killFile) && TryWrite(killFile, "1"))
        {
            return;
        }

        // v1 without cgroup.kill: SIGKILL every member until none is left (new forks may race the first pass).
        for (var pass = 0; pass < 10; pass++)
        {
            var pids = ProcsFiles(id).Where(File.Exists).SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Distinct().ToList();
            if (pids.Count == 0)
            {
                return;
            }

            foreach (var pid in pids)
            {
                Native.Kill(int.Parse(pid, CultureInfo.InvariantCulture), 9);
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>Removes the sandbox's cgroups, retrying while the kernel finishes tearing them down.</summary>
    public void Delete(string id)
    {
        Kill(id);
        foreach (var directory in Directories(id))
        {
            for (var attempt = 0; Directory.Exists(directory) && attempt < 400; attempt++)
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    Thread.Sleep(2);
                }
            }
        }
    }

    /// <summary>Ids of sandbox cgroups that exist under the product's parent.</summary>
    public IReadOnlyList<string> ExistingIds()
    {
        var parent = Mode switch
        {
            CgroupMode.V2 => Path.Combine(Root, product),
            CgroupMode.V1 => Path.Combine(Root, "pids", product),
            _ => null,
        };
        return parent is not null && Directory.Exists(parent)
            ? Directory.EnumerateDirectories(parent).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith("sandbox-", StringComparison.Ordinal)).ToList()
            : [];
    }

    private IEnumerable<string> Directories(string id) => Mode switch
    {
        CgroupMode.V2 => [Path.Combine(Root, product, id)],
        CgroupMode.V1 => V1Controllers.Select(c => Path.Combine(Root, c, product, id))
            .Concat(Directory.Exists(Path.Combine(Root, "unified", product)) ? [Path.Combine(Root, "unified", product, id)] : []),
        _ => [],
    };

    private static bool TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
