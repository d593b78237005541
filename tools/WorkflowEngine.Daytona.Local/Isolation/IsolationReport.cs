namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>What the start-up probe found.</summary>
/// <param name="Level">The level sandboxes run at.</param>
/// <param name="Cgroups">The cgroup mode in use.</param>
/// <param name="RunsAsRoot">Whether wfe runs as root (and so drops to the sandbox uid with setpriv).</param>
/// <param name="Detail">Why the level is what it is, and how to get a stronger one.</param>
public sealed record IsolationReport(IsolationLevel Level, CgroupMode Cgroups, bool RunsAsRoot, string Detail)
{
    /// <summary>A short description for sandbox info, such as <c>L0 bwrap+setpriv+cgroup-v1+seccomp</c>.</summary>
    public string Describe() => Level switch
    {
        IsolationLevel.L0 => $"L0 bwrap+setpriv+cgroup-{Cgroups.ToString().ToLowerInvariant()}+seccomp",
        IsolationLevel.L1 => RunsAsRoot ? "L1 bwrap+setpriv+rlimits+seccomp" : "L1 bwrap+rlimits+seccomp",
        IsolationLevel.None => "none",
        _ => "unavailable",
    };
}
