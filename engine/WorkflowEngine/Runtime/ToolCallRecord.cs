namespace WorkflowEngine.Runtime;

/// <summary>One tool call made during a run.</summary>
/// <param name="Tool">The tool id.</param>
/// <param name="Method">The method called.</param>
/// <param name="Params">The parameters sent, as plain data.</param>
/// <param name="Result">The result, as plain data; always has <c>success</c>.</param>
public sealed record ToolCallRecord(string Tool, string Method, IReadOnlyDictionary<string, object?> Params, IReadOnlyDictionary<string, object?> Result);
