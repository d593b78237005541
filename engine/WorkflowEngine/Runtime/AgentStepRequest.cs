namespace WorkflowEngine.Runtime;

/// <summary>Runs an <c>agent:</c> step.</summary>
/// <param name="Execution">The step and its run.</param>
public sealed record AgentStepRequest(StepExecution Execution) : IStepRequest;
