using Mediator;

namespace WorkflowEngine.Tools;

/// <summary>Refuses a tool call whose required parameters are missing, naming the required and optional ones.</summary>
public sealed class ToolParameterValidationBehavior(IToolCatalog catalog)
    : IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, object?>> Handle(
        InvokeToolRequest message,
        MessageHandlerDelegate<InvokeToolRequest, IReadOnlyDictionary<string, object?>> next,
        CancellationToken cancellationToken)
    {
        var method = catalog.Find(message.ImplementationName)?.Methods.GetValueOrDefault(message.Method);
        var missing = method?.Required.Where(r => !message.Params.TryGetValue(r, out var value) || value is null or "").ToList() ?? [];
        if (method is null || missing.Count == 0)
        {
            return next(message, cancellationToken);
        }

        IReadOnlyDictionary<string, object?> failure = ToolResults.Failure(
            "invalid_parameters",
            $"Missing required parameter{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} for {message.ToolId}.{message.Method}. {method.DescribeParameters()}",
            [
                KeyValuePair.Create<string, object?>("required", method.Required.Cast<object?>().ToList()),
                KeyValuePair.Create<string, object?>("optional", method.Optional.Cast<object?>().ToList()),
            ]);
        return ValueTask.FromResult(failure);
    }
}
