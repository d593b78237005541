using Mediator;
using WorkflowEngine.Definitions;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Tools;

/// <summary>Calls a tool method by name with untyped parameters; its handler binds them to the method's typed request.</summary>
/// <param name="ToolId">The tool id used by the step.</param>
/// <param name="Method">The method name.</param>
/// <param name="Params">The parameters as plain data.</param>
/// <param name="Configuration">The tool's <c>tools.yaml</c> entry, when there is one.</param>
/// <param name="Execution">The step making the call, or <see langword="null"/> for a direct call from code.</param>
public sealed record InvokeToolRequest(
    string ToolId,
    string Method,
    IReadOnlyDictionary<string, object?> Params,
    ToolDefinition? Configuration = null,
    StepExecution? Execution = null) : IRequest<IReadOnlyDictionary<string, object?>>
{
    /// <summary>The registered implementation to use.</summary>
    public string ImplementationName => Configuration?.ImplementationName ?? ToolId;
}
