using WorkflowEngine.Validation;

namespace WorkflowEngine.Runtime;

/// <summary>The result of a workflow run.</summary>
public sealed record RunResult
{
    /// <summary>A unique id for the run.</summary>
    public required string RunId { get; init; }

    /// <summary>The workflow that ran.</summary>
    public required string Workflow { get; init; }

    /// <summary>How the run ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The output sent to <c>user</c>, else the last step's output.</summary>
    public object? Output { get; init; }

    /// <summary>Why the run failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>The executed steps in order.</summary>
    public IReadOnlyList<StepRecord> Steps { get; init; } = [];

    /// <summary>The tool calls in order.</summary>
    public IReadOnlyList<ToolCallRecord> ToolCalls { get; init; } = [];

    /// <summary>Definition problems, when the run was refused because of them.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Whether the run succeeded.</summary>
    public bool Succeeded => Status == RunStatus.Succeeded;
}
