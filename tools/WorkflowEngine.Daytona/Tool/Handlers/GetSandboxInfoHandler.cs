using Mediator;
using WorkflowEngine.Daytona.Tool.Methods;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>Handles <c>get_sandbox_info</c>; environment values are not returned, only their names.</summary>
public sealed class GetSandboxInfoHandler(SandboxTargets targets) : IRequestHandler<GetSandboxInfoRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(GetSandboxInfoRequest request, CancellationToken cancellationToken)
    {
        var target = await targets.ResolveAsync(request.SandboxId, null, createWhenMissing: false, cancellationToken);
        if (!target.Succeeded)
        {
            return ToolResult.Fail(target.Error, ("sandbox_id", request.SandboxId));
        }

        var info = await target.Value.Provider.GetAsync(target.Value.Id, cancellationToken);
        if (!info.Succeeded)
        {
            return ToolResult.Fail(info.Error, ("sandbox_id", target.Value.Id));
        }

        var s = info.Value;
        return ToolResult.Ok(
            $"Sandbox {s.Name} ({s.Id}) is {s.State}.",
            ("sandbox_id", s.Id),
            ("name", s.Name),
            ("language", s.Language),
            ("status", s.State),
            ("created_at", s.CreatedAt.ToString("O")),
            ("last_accessed", s.LastAccessedAt.ToString("O")),
            ("preview_url", s.PreviewUrl),
            ("git_repo", s.GitRepo),
            ("environment_vars", s.EnvironmentVars.ToDictionary(e => e.Key, _ => (object?)"***")),
            ("persistent", s.Persistent),
            ("isolation", s.Isolation),
            ("memory_bytes", s.Resources.MemoryBytes),
            ("cpus", s.Resources.Cpus),
            ("disk_bytes", s.Resources.DiskBytes),
            ("disk_inodes", s.Resources.DiskInodes),
            ("disk_quota", s.DiskQuota),
            ("disk_used_bytes", s.DiskUsedBytes));
    }
}
