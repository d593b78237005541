using Mediator;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Runtime.Handlers;

/// <summary>
/// Runs LangSwarm's <c>mcp_call</c> function against a local tool: <c>mcp_url: local://&lt;tool&gt;</c> with a payload of
/// <c>{name|method, arguments|params}</c> or <c>{method: "tools/call", params: {name, arguments}}</c>.
/// </summary>
public sealed class FunctionStepHandler(IDefinitionCatalog catalog, TemplateRenderer renderer, ISender sender)
    : IRequestHandler<FunctionStepRequest, StepOutcome>
{
    /// <summary>The function names accepted for <c>mcp_call</c>.</summary>
    public static readonly IReadOnlySet<string> McpCallNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "mcp_call",
        "langswarm.core.utils.workflows.functions.mcp_call",
    };

    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(FunctionStepRequest request, CancellationToken cancellationToken)
    {
        var execution = request.Execution;
        var step = execution.Step;
        if (!McpCallNames.Contains(step.Function!))
        {
            return StepOutcome.Failure($"Function '{step.Function}' is not available; only mcp_call with a local:// URL is.");
        }

        if (renderer.Resolve(step.Args, execution.Scope) is not Dictionary<string, object?> args)
        {
            return StepOutcome.Failure($"Step '{step.Id}' needs `args:` with mcp_url and payload.");
        }

        var url = args.GetValueOrDefault("mcp_url") as string ?? "";
        if (!url.StartsWith("local://", StringComparison.Ordinal) || url.Length <= "local://".Length)
        {
            return StepOutcome.Failure($"mcp_url '{url}' is not supported; use local://<tool id>.");
        }

        var toolId = url["local://".Length..].TrimEnd('/');
        var payload = args.GetValueOrDefault("payload");
        var call = payload as Dictionary<string, object?> ?? PlainData.TryParseObject(payload as string);
        if (call is null || !TryReadCall(call, out var method, out var parameters))
        {
            return StepOutcome.Failure(
                $"Invalid payload format for {url}: expected {{\"name\": \"<method>\", \"arguments\": {{...}}}}, {{\"method\": \"<method>\", \"params\": {{...}}}} or {{\"method\": \"tools/call\", \"params\": {{\"name\", \"arguments\"}}}}; got {PlainData.ToText(payload)}.");
        }

        var result = await sender.Send(new InvokeToolRequest(toolId, method, parameters, catalog.Definitions.FindTool(toolId), execution), cancellationToken);
        return StepOutcome.Success(result);
    }

    /// <summary>Turns parameters that are an object, JSON text or nothing into a dictionary; <see langword="null"/> for anything else.</summary>
    internal static IReadOnlyDictionary<string, object?>? ToParameters(object? value) => value switch
    {
        null => new Dictionary<string, object?>(),
        Dictionary<string, object?> map => map,
        string text when string.IsNullOrWhiteSpace(text) => new Dictionary<string, object?>(),
        string text => PlainData.TryParseObject(text),
        _ => null,
    };

    private static bool TryReadCall(Dictionary<string, object?> call, out string method, out IReadOnlyDictionary<string, object?> parameters)
    {
        method = "";
        parameters = new Dictionary<string, object?>();
        var name = call.GetValueOrDefault("name") as string ?? call.GetValueOrDefault("method") as string;
        var arguments = call.GetValueOrDefault("arguments") ?? call.GetValueOrDefault("args") ?? call.GetValueOrDefault("params");
        if (name == "tools/call" && arguments is Dictionary<string, object?> inner)
        {
            name = inner.GetValueOrDefault("name") as string;
            arguments = inner.GetValueOrDefault("arguments");
        }

        if (string.IsNullOrEmpty(name) || ToParameters(arguments) is not { } map)
        {
            return false;
        }

        method = name;
        parameters = map;
        return true;
    }
}
