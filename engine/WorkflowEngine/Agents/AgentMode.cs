namespace WorkflowEngine.Agents;

/// <summary>Which implementation runs an agent that has both a builtin one and an LLM definition.</summary>
public enum AgentMode
{
    /// <summary>The LLM when an endpoint or key is configured, else the builtin.</summary>
    Auto,

    /// <summary>Always the builtin implementation (deterministic, offline).</summary>
    Builtin,

    /// <summary>Always the LLM for agents with an LLM <c>agent_type</c>.</summary>
    Llm,
}
