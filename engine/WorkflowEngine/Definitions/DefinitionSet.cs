namespace WorkflowEngine.Definitions;

/// <summary>Everything loaded from a set of definition files, and what was wrong with them.</summary>
public sealed record DefinitionSet
{
    /// <summary>The agents, in load order (duplicates kept so that validation can report them).</summary>
    public IReadOnlyList<AgentDefinition> Agents { get; init; } = [];

    /// <summary>The workflows, in load order.</summary>
    public IReadOnlyList<WorkflowDefinition> Workflows { get; init; } = [];

    /// <summary>The tools configured in <c>tools.yaml</c>.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Problems found while reading the files (syntax, shapes, unknown fields).</summary>
    public IReadOnlyList<Validation.Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Finds a workflow by id.</summary>
    public WorkflowDefinition? FindWorkflow(string id) => Workflows.FirstOrDefault(w => w.Id == id);

    /// <summary>Finds an agent by id.</summary>
    public AgentDefinition? FindAgent(string id) => Agents.FirstOrDefault(a => a.Id == id);

    /// <summary>Finds a configured tool by id.</summary>
    public ToolDefinition? FindTool(string id) => Tools.FirstOrDefault(t => t.Id == id);

    /// <summary>Combines two sets, keeping the order: this one first.</summary>
    public DefinitionSet Merge(DefinitionSet other) => new()
    {
        Agents = [.. Agents, .. other.Agents],
        Workflows = [.. Workflows, .. other.Workflows],
        Tools = [.. Tools, .. other.Tools],
        Diagnostics = [.. Diagnostics, .. other.Diagnostics],
    };
}
