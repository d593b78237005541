using System.Diagnostics;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>
/// Finds the strongest isolation this machine allows, once: bubblewrap must start a minimal sandbox, setpriv
/// must drop to the sandbox uid when running as root, and cgroups must be writable for L0.
/// </summary>
internal static class IsolationProbe
{
    public static IsolationReport Run(LocalSandboxOptions options)
    {
        var root = Native.IsRoot;
        if (!File.Exists(options.BwrapPath))
        {
            return Unavailable(options, root, $"bubblewrap was not found at {options.BwrapPath}. Install it (Debian/Ubuntu: `apt-get install -y bubblewrap`).");
        }

        if (root && Unreachable(options.DataDirectory) is { } closed)
        {
            return Unavailable(options, root, $"the sandbox user (uid {options.SandboxUid}) cannot reach {options.DataDirectory}: {closed} is not searchable by other users. Set WFE_HOME to a folder every user can traverse (e.g. /var/lib/wfe) or run `chmod o+x {closed}`.");
        }

        var probe = root
            ? Try("/usr/bin/setpriv", [$"--reuid={options.SandboxUid}", $"--regid={options.SandboxUid}", "--clear-groups", options.BwrapPath, .. MinimalArgs(), "/usr/bin/true"])
            : Try(options.BwrapPath, [.. MinimalArgs(), "/usr/bin/true"]);
        if (probe is not null)
        {
            return Unavailable(options, root, $"bubblewrap cannot create a sandbox here: {probe}. Enable unprivileged user namespaces or run wfe as root.");
        }

        var cgroups = root ? Cgroups.Detect() : CgroupMode.None;
        if (cgroups != CgroupMode.None && options.FavorCgroupMigrations)
        {
            CgroupTuning.FavorDynamicModifications();
        }

        return cgroups == CgroupMode.None
            ? new IsolationReport(IsolationLevel.L1, cgroups, root, "No writable cgroups: memory, process and CPU limits fall back to rlimits (run as root on a machine with cgroups for L0).")
            : new IsolationReport(IsolationLevel.L0, cgroups, root, "bubblewrap, setpriv, cgroups and seccomp are all available.");
    }

    private static IsolationReport Unavailable(LocalSandboxOptions options, bool root, string why) =>
        options.AllowNoIsolation
            ? new IsolationReport(IsolationLevel.None, CgroupMode.None, root, why + " Running WITHOUT isolation because AllowNoIsolation (isolation: none) is set.")
            : new IsolationReport(IsolationLevel.Unavailable, CgroupMode.None, root, why + " To run code without isolation on a development machine, opt in explicitly with `isolation: none` (WFE_ISOLATION=none).");

    /// <summary>The first existing ancestor of <paramref name="dataDirectory"/> that other users cannot search, or <see langword="null"/>.</summary>
    internal static string? Unreachable(string dataDirectory)
    {
        for (var directory = Path.GetDirectoryName(Path.GetFullPath(dataDirectory)); !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(directory) && (File.GetUnixFileMode(directory) & UnixFileMode.OtherExecute) == 0)
            {
                return directory;
            }
        }

        return null;
    }

    private static string[] MinimalArgs() =>
    [
        "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        "--unshare-all", "--die-with-parent", "--cap-drop", "ALL", "--clearenv",
    ];

    /// <summary>Runs the probe; returns <see langword="null"/> on success, else the error text.</summary>
    private static string? Try(string file, string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            info.Environment.Clear();
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = ProcessSpawner.Shared.StartAsync(info).GetAwaiter().GetResult();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                return "the probe did not finish within 5 s";
            }

            return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {stderr.GetAwaiter().GetResult().Trim()}";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return ex.Message;
        }
    }
}
