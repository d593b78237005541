namespace WorkflowEngine.Agents;

/// <summary>A builtin agent registered in code, found by agent id or by an agent's <c>builtin:</c> field.</summary>
/// <param name="Name">The name it is registered under.</param>
/// <param name="Factory">Creates the agent.</param>
public sealed record BuiltinAgentRegistration(string Name, Func<IServiceProvider, IAgent> Factory);
