using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>
/// Confines paths to a sandbox's <c>/workspace</c>. Relative paths are taken from <c>/workspace</c>; <c>..</c>,
/// absolute paths elsewhere and symlinks that lead out (resolved as the sandbox would see them) are refused.
/// </summary>
internal static class WorkspacePaths
{
    public const string Root = "/workspace";
    private const int MaxLinkHops = 40;

    /// <summary>Maps a sandbox path to (host path, canonical sandbox path), or explains why it is refused.</summary>
    public static SandboxResult<(string Host, string Sandbox)> Resolve(string hostRoot, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return Invalid("A path is required, such as /workspace/main.py or main.py.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return Invalid("The path contains a NUL character.");
        }

        string relative;
        if (path.StartsWith('/'))
        {
            if (path != Root && !path.StartsWith(Root + "/", StringComparison.Ordinal))
            {
                return Invalid($"Path '{path}' is outside the sandbox; use a path under /workspace.");
            }

            relative = path[Root.Length..];
        }
        else
        {
            relative = path;
        }

        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Contains(".."))
        {
            return Invalid($"Path '{path}' contains '..'; use a path under /workspace without it.");
        }

        var pending = new Queue<string>(segments.Where(s => s != "."));
        var resolved = new List<string>();
        var hops = 0;
        while (pending.TryDequeue(out var segment))
        {
            if (segment is "." or "")
            {
                continue;
            }

            if (segment == "..")
            {
                if (resolved.Count == 0)
                {
                    return Invalid($"Path '{path}' leads outside the sandbox through a symbolic link.");
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            var candidate = Path.Combine(hostRoot, Path.Combine([.. resolved, segment]));
            var info = new FileInfo(candidate);
            if (info.LinkTarget is not { } target)
            {
                resolved.Add(segment);
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return Invalid($"Path '{path}' has too many symbolic links.");
            }

            // Resolve the link as the sandbox sees it: absolute targets are sandbox paths.
            IEnumerable<string> next;
            if (target.StartsWith('/'))
            {
                if (target != Root && !target.StartsWith(Root + "/", StringComparison.Ordinal))
                {
                    return Invalid($"Path '{path}' is a symbolic link to '{target}', outside the sandbox.");
                }

                resolved.Clear();
                next = target[Root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
            }
            else
            {
                next = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
            }

            pending = new Queue<string>(next.Concat(pending));
        }

        var sandboxPath = resolved.Count == 0 ? Root : Root + "/" + string.Join('/', resolved);
        return (resolved.Count == 0 ? hostRoot : Path.Combine(hostRoot, Path.Combine([.. resolved])), sandboxPath);
    }

    /// <summary>Checks that an opened file really lies under the workspace (guards against a link swapped in after resolving).</summary>
    public static bool IsOpenedInside(SafeHandleWrapper handle, string hostRoot)
    {
        var real = handle.RealPath();
        return real is not null && (real == hostRoot || real.StartsWith(hostRoot + "/", StringComparison.Ordinal));
    }

    private static SandboxResult<(string, string)> Invalid(string message) =>
        SandboxResult<(string, string)>.Fail(SandboxErrorKind.InvalidArgument, message);
}
