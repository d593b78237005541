namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>
/// The one rule for host paths a sandbox operation may name (files to upload or download, local git repositories):
/// after every symbolic link is resolved, the path lies beneath one of <see cref="Roots"/>, and it is neither in nor
/// above one of <see cref="Forbidden"/> (<c>/proc</c>, <c>/sys</c>, <c>/dev</c>, <c>/etc</c> and, for example, the
/// provider's data folder), even when a root holds them.
/// </summary>
public sealed class HostPathPolicy
{
    /// <summary>Host folders no sandbox operation may reach, whatever the roots.</summary>
    public static IReadOnlyList<string> SystemFolders { get; } = ["/proc", "/sys", "/dev", "/etc"];

    private readonly string _fix;

    /// <summary>Creates the rule.</summary>
    /// <param name="roots">Absolute host folders; paths must lie beneath one of them. None: no host path is allowed.</param>
    /// <param name="forbidden">Folders refused in addition to <see cref="SystemFolders"/> (such as <c>WFE_HOME</c>).</param>
    /// <param name="fix">How the caller widens the roots, ending the "outside" message (for example "set config.local_root in tools.yaml").</param>
    public HostPathPolicy(IEnumerable<string> roots, IEnumerable<string> forbidden, string fix)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(forbidden);
        Roots = roots.Select(r => Normalize(Path.GetFullPath(r))).Distinct(StringComparer.Ordinal).ToList();
        Forbidden = SystemFolders.Concat(forbidden.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => Normalize(Path.GetFullPath(f)))).Distinct(StringComparer.Ordinal).ToList();
        _fix = fix;
    }

    /// <summary>The folders paths must lie beneath, as given (made absolute).</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>The folders refused whatever the roots: <see cref="SystemFolders"/> and the extra ones.</summary>
    public IReadOnlyList<string> Forbidden { get; }

    /// <summary>
    /// The real path of <paramref name="path"/> when the rule allows it, else an <see cref="SandboxErrorKind.InvalidArgument"/>
    /// error saying why. A relative path is taken from the first root; <c>~/</c> is the user's home folder. Whether the
    /// path exists is for the caller to check.
    /// </summary>
    public SandboxResult<string> Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            return Refuse($"'{path}' is not a path.");
        }

        var expanded = path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;
        if (Roots.Count == 0)
        {
            return Refuse($"'{path}' cannot be used: no host folder is allowed here; {_fix}.");
        }

        var full = Normalize(Path.GetFullPath(expanded, Roots[0]));
        string real;
        List<string> roots, forbidden;
        try
        {
            // Every link on the way counts (a linked folder such as root/etc -> /etc, not only the last part).
            real = RealPath(full);
            roots = Roots.Select(r => RealPath(r)).ToList();
            forbidden = Forbidden.Concat(Forbidden.Select(f => RealPath(f))).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Refuse($"'{path}' cannot be resolved: {ex.Message}");
        }

        var shown = full == real ? $"'{path}'" : $"'{path}' (really {real})";
        if (forbidden.FirstOrDefault(f => IsBeneath(real, f)) is { } within)
        {
            return Refuse($"{shown} is in {within}, which no sandbox may reach, whatever the roots.");
        }

        if (forbidden.FirstOrDefault(f => IsBeneath(f, real)) is { } held)
        {
            return Refuse($"{shown} holds {held}, which no sandbox may reach; name a folder that does not.");
        }

        if (!roots.Any(root => IsBeneath(real, root)))
        {
            return Refuse($"{shown} is outside {string.Join(" and ", roots)}. Use a path beneath {(roots.Count == 1 ? "it" : "one of them")}, or {_fix}.");
        }

        return real;
    }

    /// <summary>Resolves every symbolic link in an absolute path (like <c>realpath</c>), also when its last parts do not exist yet.</summary>
    /// <exception cref="IOException">More than 40 links in a row.</exception>
    public static string RealPath(string path) => RealPath(Path.GetFullPath(path), 0);

    private static string RealPath(string path, int depth)
    {
        if (depth > 40)
        {
            throw new IOException("too many levels of symbolic links");
        }

        var current = "/";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            current = info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? RealPath(Path.GetFullPath(target.FullName), depth + 1)
                : next;
        }

        return current;
    }

    /// <summary>Whether absolute <paramref name="path"/> is <paramref name="folder"/> or lies beneath it, comparing the normalized text (no links resolved).</summary>
    public static bool IsBeneath(string path, string folder)
    {
        var (p, f) = (Normalize(Path.GetFullPath(path)), Normalize(Path.GetFullPath(folder)));
        return f == "/" || p == f || p.StartsWith(f + "/", StringComparison.Ordinal);
    }

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static SandboxResult<string> Refuse(string message) => SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument, message);
}
