using WorkflowEngine.Definitions;

namespace WorkflowEngine.Agents;

/// <summary>What an agent is asked.</summary>
/// <param name="Agent">The agent's definition.</param>
/// <param name="SystemPrompt">The rendered system prompt (empty when the agent has none).</param>
/// <param name="Input">The step's rendered input.</param>
/// <param name="Variables">The template variables the step saw, for builtin agents that read structured data.</param>
public sealed record AgentRequest(AgentDefinition Agent, string SystemPrompt, string Input, IReadOnlyDictionary<string, object?> Variables);
