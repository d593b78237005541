namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>The limits written into a sandbox's cgroups.</summary>
/// <param name="MemoryBytes">memory.max / memory.limit_in_bytes.</param>
/// <param name="Pids">pids.max.</param>
/// <param name="Cpus">cpu.max / cpu.cfs_quota_us as a share of one core.</param>
internal sealed record CgroupLimits(long MemoryBytes, int Pids, double Cpus);
