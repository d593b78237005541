namespace WorkflowEngine.Agents;

/// <summary>The agent that will answer, or why there is none.</summary>
/// <param name="Agent">The agent, when found.</param>
/// <param name="Error">What to do when it was not.</param>
public sealed record AgentResolution(IAgent? Agent, string? Error);
