using Mediator;

namespace WorkflowEngine.Tools;

/// <summary>
/// Enforces a tool's <c>tools.yaml</c> access rules: <c>config.allowed_methods</c> and <c>config.denied_methods</c>
/// (a list, or comma-separated text), and <c>permission: authenticated</c>, which needs a non-empty <c>user</c>
/// run input. A refused call gets a result that says which rule refused it.
/// </summary>
public sealed class ToolPermissionBehavior : IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, object?>> Handle(
        InvokeToolRequest message,
        MessageHandlerDelegate<InvokeToolRequest, IReadOnlyDictionary<string, object?>> next,
        CancellationToken cancellationToken)
    {
        if (Refusal(message) is not { } reason)
        {
            return next(message, cancellationToken);
        }

        IReadOnlyDictionary<string, object?> refused = ToolResults.Failure("permission_denied", reason);
        return ValueTask.FromResult(refused);
    }

    private static string? Refusal(InvokeToolRequest message)
    {
        var config = message.Configuration;
        if (config is null)
        {
            return null;
        }

        var denied = Names(config.Config.GetValueOrDefault("denied_methods"));
        if (denied.Contains(message.Method))
        {
            return $"Method '{message.Method}' of tool '{message.ToolId}' is denied by tools.yaml (config.denied_methods). Remove it there to allow it.";
        }

        var allowed = Names(config.Config.GetValueOrDefault("allowed_methods"));
        if (allowed.Count > 0 && !allowed.Contains(message.Method))
        {
            return $"Method '{message.Method}' of tool '{message.ToolId}' is not in config.allowed_methods ({string.Join(", ", allowed)}) in tools.yaml.";
        }

        if (string.Equals(config.Permission, "authenticated", StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrWhiteSpace(message.Execution?.RunInputs.GetValueOrDefault("user") as string))
        {
            return $"Tool '{message.ToolId}' needs an authenticated caller (permission: authenticated): pass the `user` run input (wfe run --user NAME).";
        }

        return null;
    }

    private static HashSet<string> Names(object? value) => value switch
    {
        string text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
        IEnumerable<object?> list => list.OfType<string>().Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal),
        _ => [],
    };
}
