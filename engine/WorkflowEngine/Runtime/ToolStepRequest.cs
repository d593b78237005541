namespace WorkflowEngine.Runtime;

/// <summary>Runs a <c>tool:</c> step.</summary>
/// <param name="Execution">The step and its run.</param>
public sealed record ToolStepRequest(StepExecution Execution) : IStepRequest;
