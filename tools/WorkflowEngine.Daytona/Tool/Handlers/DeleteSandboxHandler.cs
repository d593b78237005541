using Mediator;
using WorkflowEngine.Daytona.Tool.Methods;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>Handles <c>delete_sandbox</c>.</summary>
public sealed class DeleteSandboxHandler(SandboxProviderSelector providers, SandboxTargets targets) : IRequestHandler<DeleteSandboxRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(DeleteSandboxRequest request, CancellationToken cancellationToken)
    {
        var selected = providers.Select();
        if (!selected.Succeeded)
        {
            return ToolResult.Fail(selected.Error, ("sandbox_id", request.SandboxId));
        }

        var found = await selected.Value.GetAsync(request.SandboxId, cancellationToken);
        if (!found.Succeeded)
        {
            return ToolResult.Fail(found.Error, ("sandbox_id", request.SandboxId));
        }

        var deleted = await selected.Value.DeleteAsync(found.Value.Id, cancellationToken);
        if (!deleted.Succeeded)
        {
            return ToolResult.Fail(deleted.Error, ("sandbox_id", found.Value.Id));
        }

        targets.Forget(found.Value.Id);
        return ToolResult.Ok($"Deleted sandbox {found.Value.Name} ({found.Value.Id}).", ("sandbox_id", found.Value.Id));
    }
}
