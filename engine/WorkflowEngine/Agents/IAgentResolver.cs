using WorkflowEngine.Definitions;

namespace WorkflowEngine.Agents;

/// <summary>Finds the implementation for an agent definition.</summary>
public interface IAgentResolver
{
    /// <summary>Resolves the agent, honouring the configured <see cref="AgentMode"/>.</summary>
    AgentResolution Resolve(AgentDefinition agent);
}
