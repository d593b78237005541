using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Hosting;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>The tool's check of repository URLs for <c>git_operation clone</c> and <c>create_sandbox git_repo</c>.</summary>
internal static class ToolGitRoots
{
    /// <summary>
    /// Refuses, before any sandbox is made, a URL of a refused form and a local repository outside <c>config.git_roots</c>
    /// (a folder or a list; default: the current directory), by the rule upload and download follow. The provider applies
    /// its own roots as well.
    /// </summary>
    /// <param name="url">The repository URL or path.</param>
    /// <param name="parameter">The parameter that carried it, named in the message.</param>
    public static SandboxError? Problem(string url, string parameter)
    {
        if (GitUrl.Problem(url) is { } problem)
        {
            return new SandboxError(SandboxErrorKind.InvalidArgument, $"Invalid parameter '{parameter}': {problem}");
        }

        if (GitUrl.LocalPath(url) is not { } localPath)
        {
            return null;
        }

        IReadOnlyList<string>? roots = ToolCallContext.Current?.Config("git_roots") switch
        {
            null or "" => [Directory.GetCurrentDirectory()],
            string one => [one],
            IEnumerable<object?> many when many.All(r => r is string { Length: > 0 }) => many.Cast<string>().ToList(),
            _ => null,
        };
        if (roots is null)
        {
            return new SandboxError(SandboxErrorKind.InvalidArgument, "config.git_roots in tools.yaml must be a folder or a list of folders.");
        }

        var resolved = new HostPathPolicy(roots, [WorkflowEngineOptions.DefaultDataDirectory()], "add a folder holding it to config.git_roots in tools.yaml").Resolve(localPath);
        return resolved.Succeeded ? null : new SandboxError(resolved.Error.Kind, $"Invalid parameter '{parameter}': repository {resolved.Error.Message}");
    }
}
