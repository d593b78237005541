using Mediator;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Tools;

/// <summary>Records every tool call made by a step, with its parameters and result, in the run.</summary>
public sealed class ToolCallRecordingBehavior : IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(
        InvokeToolRequest message,
        MessageHandlerDelegate<InvokeToolRequest, IReadOnlyDictionary<string, object?>> next,
        CancellationToken cancellationToken)
    {
        var result = await next(message, cancellationToken);
        message.Execution?.RecordToolCall(new ToolCallRecord(message.ToolId, message.Method, message.Params, result));
        return result;
    }
}
