namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>
/// Toolbox paths as the provider takes them. The daemon resolves relative paths against its working directory,
/// which here is <c>/workspace</c>; absolute paths pass through and the provider refuses any outside the workspace.
/// </summary>
internal static class ToolboxPaths
{
    public const string WorkDir = "/workspace";

    public static string Resolve(string? path)
    {
        var trimmed = path?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed == ".")
        {
            return WorkDir;
        }

        return trimmed.StartsWith('/') ? trimmed : $"{WorkDir}/{(trimmed.StartsWith("./", StringComparison.Ordinal) ? trimmed[2..] : trimmed)}";
    }
}
