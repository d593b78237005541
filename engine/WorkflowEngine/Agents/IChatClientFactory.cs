using Microsoft.Extensions.AI;
using WorkflowEngine.Definitions;

namespace WorkflowEngine.Agents;

/// <summary>Creates the chat client for an LLM agent.</summary>
public interface IChatClientFactory
{
    /// <summary>Whether an endpoint or key is configured, so that <see cref="AgentMode.Auto"/> picks the LLM.</summary>
    bool IsConfigured { get; }

    /// <summary>Creates a client for the agent, or returns an error that names the setting to fix.</summary>
    (IChatClient? Client, string? Error) Create(AgentDefinition agent);
}
