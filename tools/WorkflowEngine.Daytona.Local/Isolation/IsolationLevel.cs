namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>How strongly sandboxes are isolated on this machine, detected once at start-up.</summary>
public enum IsolationLevel
{
    /// <summary>bubblewrap as an unprivileged uid (setpriv), cgroup limits, seccomp, read-only /proc/sys.</summary>
    L0,

    /// <summary>bubblewrap with rlimits and a wall-clock timeout; no cgroups (not root, or cgroups not writable).</summary>
    L1,

    /// <summary>No bubblewrap: the provider refuses to run code unless <c>AllowNoIsolation</c> is set.</summary>
    Unavailable,

    /// <summary>A plain child process with rlimits and a timeout (<c>isolation: none</c>), only when explicitly allowed.</summary>
    None,
}
