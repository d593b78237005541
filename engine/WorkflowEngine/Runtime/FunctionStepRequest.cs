namespace WorkflowEngine.Runtime;

/// <summary>Runs a <c>function:</c> step (LangSwarm's <c>mcp_call</c>).</summary>
/// <param name="Execution">The step and its run.</param>
public sealed record FunctionStepRequest(StepExecution Execution) : IStepRequest;
