using System.Text.Json;
using Mediator;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Tools;

/// <summary>Binds untyped parameters to the method's typed request and sends it to that request's handler.</summary>
public sealed class InvokeToolHandler(IToolCatalog catalog, ISender sender) : IRequestHandler<InvokeToolRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(InvokeToolRequest request, CancellationToken cancellationToken)
    {
        if (catalog.Find(request.ImplementationName) is not { } tool)
        {
            return ToolResults.Failure("unknown_tool", $"Tool '{request.ToolId}' is not registered. Known tools: {string.Join(", ", catalog.Tools.Select(t => t.Name))}.");
        }

        if (!tool.Methods.TryGetValue(request.Method, out var method))
        {
            return ToolResults.Failure(
                "unknown_method",
                $"Method '{request.Method}' is not available.{Validation.Suggestions.DidYouMean(request.Method, tool.Methods.Keys)}",
                [KeyValuePair.Create<string, object?>("available_methods", tool.Methods.Keys.Order(StringComparer.Ordinal).Cast<object?>().ToList())]);
        }

        if (request.Execution?.DryRun == true)
        {
            return tool.Planner?.Plan(request.Method, request.Params) ?? new Dictionary<string, object?>
            {
                ["success"] = true,
                ["dry_run"] = true,
                ["message"] = $"Planned {request.ToolId}.{request.Method}; nothing was executed.",
            };
        }

        object typed;
        try
        {
            var known = method.Required.Concat(method.Optional).ToHashSet(StringComparer.Ordinal);
            var parameters = request.Params.Where(p => known.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            typed = JsonSerializer.SerializeToElement(parameters, PlainData.JsonOptions).Deserialize(method.RequestType, PlainData.JsonOptions)
                ?? throw new JsonException("the parameters are empty");
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "?";
            return ToolResults.Failure("invalid_parameters", $"Invalid parameter '{field}': {ex.Message} {method.DescribeParameters()}");
        }

        var previous = ToolCallContext.Current;
        ToolCallContext.Current = new ToolCallContext
        {
            ToolId = request.ToolId,
            Method = request.Method,
            Configuration = request.Configuration,
            RunId = request.Execution?.RunId,
            RunInputs = request.Execution?.RunInputs ?? new Dictionary<string, object?>(),
        };
        object? result;
        try
        {
            result = PlainData.FromObject(await sender.Send(typed, cancellationToken));
        }
        finally
        {
            ToolCallContext.Current = previous;
        }

        if (result is not Dictionary<string, object?> map)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["success"] = true, ["result"] = result };
        }

        map.TryAdd("success", true);
        return map;
    }
}
