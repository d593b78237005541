using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// The contract's paths (absolute under <c>/workspace</c> or relative to it) as the daemon takes them: relative to
/// the sandbox's working directory, which stands for <c>/workspace</c>. <c>..</c> and paths elsewhere are refused.
/// </summary>
internal static class SandboxPaths
{
    public const string Root = "/workspace";

    /// <summary>The daemon path (<c>.</c> for the root) and the contract path (<c>/workspace/…</c>), or why the path is refused.</summary>
    public static SandboxResult<(string Daemon, string Contract)> Map(string? path, bool allowRoot = true)
    {
        if (path is null || path.Contains('\0', StringComparison.Ordinal))
        {
            return SandboxResult<(string, string)>.Fail(SandboxErrorKind.InvalidArgument, "A path is required, such as /workspace/main.py or main.py.");
        }

        var relative = path.Trim();
        if (relative.StartsWith('/'))
        {
            if (relative != Root && !relative.StartsWith(Root + "/", StringComparison.Ordinal))
            {
                return SandboxResult<(string, string)>.Fail(SandboxErrorKind.InvalidArgument, $"Path '{path}' is outside the sandbox; use a path under /workspace.");
            }

            relative = relative[Root.Length..];
        }

        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Contains(".."))
        {
            return SandboxResult<(string, string)>.Fail(SandboxErrorKind.InvalidArgument, $"Path '{path}' contains '..'; use a path under /workspace without it.");
        }

        var kept = segments.Where(s => s != ".").ToArray();
        if (kept.Length == 0 && !allowRoot)
        {
            return SandboxResult<(string, string)>.Fail(SandboxErrorKind.InvalidArgument, $"Path '{path}' names /workspace itself; name a file or folder in it.");
        }

        var joined = string.Join('/', kept);
        return (kept.Length == 0 ? "." : joined, kept.Length == 0 ? Root : Root + "/" + joined);
    }
}
