namespace WorkflowEngine.Tools;

/// <summary>A tool registered in code: a name and typed methods.</summary>
public sealed record ToolDescriptor
{
    /// <summary>The implementation name; <c>tools.yaml</c> refers to it as <c>type</c>, steps as <c>tool:</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the tool is for.</summary>
    public string? Description { get; init; }

    /// <summary>The methods by name.</summary>
    public required IReadOnlyDictionary<string, ToolMethodDescriptor> Methods { get; init; }

    /// <summary>Answers calls in dry-run mode; <see langword="null"/> uses a generic "planned" result.</summary>
    public IToolPlanner? Planner { get; init; }
}
