using Mediator;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Runtime.Handlers;

/// <summary>
/// Runs a <c>tool:</c> step. The method and parameters come from <c>method:</c> and <c>params:</c>, or from an
/// <c>input</c> that resolves to <c>{"method": ..., "params": {...}}</c> (LangSwarm's first format).
/// </summary>
public sealed class ToolStepHandler(IDefinitionCatalog catalog, TemplateRenderer renderer, ISender sender)
    : IRequestHandler<ToolStepRequest, StepOutcome>
{
    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(ToolStepRequest request, CancellationToken cancellationToken)
    {
        var execution = request.Execution;
        var step = execution.Step;
        string? method;
        object? parameters;
        if (step.Method is not null)
        {
            method = PlainData.ToText(renderer.Resolve(step.Method, execution.Scope)).Trim();
            parameters = renderer.Resolve(step.Params, execution.Scope);
        }
        else
        {
            var input = renderer.Resolve(step.Input, execution.Scope);
            var call = input as Dictionary<string, object?> ?? PlainData.TryParseObject(input as string);
            if (call is null)
            {
                return StepOutcome.Failure($"Tool step '{step.Id}' needs `method:` and `params:`, or an input that is a {{\"method\", \"params\"}} object.");
            }

            method = call.GetValueOrDefault("method") as string ?? call.GetValueOrDefault("name") as string;
            parameters = call.GetValueOrDefault("params") ?? call.GetValueOrDefault("arguments");
        }

        if (string.IsNullOrEmpty(method))
        {
            return StepOutcome.Failure($"Tool step '{step.Id}' resolved to an empty method name.");
        }

        if (FunctionStepHandler.ToParameters(parameters) is not { } map)
        {
            return StepOutcome.Failure($"The params of tool step '{step.Id}' must resolve to an object, not {PlainData.ToText(parameters)}.");
        }

        var result = await sender.Send(new InvokeToolRequest(step.Tool!, method, map, catalog.Definitions.FindTool(step.Tool!), execution), cancellationToken);
        return StepOutcome.Success(result);
    }
}
