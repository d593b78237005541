namespace WorkflowEngine.Runtime;

/// <summary>Runs a <c>workflow:</c> (or <c>invoke_workflow:</c>) step.</summary>
/// <param name="Execution">The step and its run.</param>
public sealed record WorkflowStepRequest(StepExecution Execution) : IStepRequest;
