using Mediator;
using WorkflowEngine.Daytona.Tool.Methods;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>Handles <c>list_sandboxes</c>.</summary>
public sealed class ListSandboxesHandler(SandboxProviderSelector providers) : IRequestHandler<ListSandboxesRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(ListSandboxesRequest request, CancellationToken cancellationToken)
    {
        var selected = providers.Select();
        if (!selected.Succeeded)
        {
            return ToolResult.Fail(selected.Error, ("sandboxes", new List<object?>()), ("count", 0L));
        }

        var listed = await selected.Value.ListAsync(cancellationToken);
        if (!listed.Succeeded)
        {
            return ToolResult.Fail(listed.Error, ("sandboxes", new List<object?>()), ("count", 0L));
        }

        var sandboxes = listed.Value.Select(s => (object?)new Dictionary<string, object?>
        {
            ["sandbox_id"] = s.Id,
            ["name"] = s.Name,
            ["status"] = s.State,
            ["language"] = s.Language,
            ["created_at"] = s.CreatedAt.ToString("O"),
            ["preview_url"] = s.PreviewUrl,
            ["persistent"] = s.Persistent,
        }).ToList();
        return ToolResult.Ok($"{sandboxes.Count} sandbox(es).", ("sandboxes", sandboxes), ("count", (long)sandboxes.Count));
    }
}
