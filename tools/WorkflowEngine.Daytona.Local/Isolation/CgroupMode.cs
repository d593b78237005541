namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>Which cgroup hierarchy limits sandboxes.</summary>
public enum CgroupMode
{
    /// <summary>No writable cgroups.</summary>
    None,

    /// <summary>cgroup v1 controllers (memory, pids, cpu), plus v2 <c>cgroup.kill</c> when the unified hierarchy is mounted.</summary>
    V1,

    /// <summary>cgroup v2 with memory, pids and cpu controllers.</summary>
    V2,
}
