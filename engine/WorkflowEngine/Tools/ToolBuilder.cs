namespace WorkflowEngine.Tools;

/// <summary>Describes a tool's methods when it is registered with <c>AddTool</c>.</summary>
public sealed class ToolBuilder(string name)
{
    private readonly Dictionary<string, ToolMethodDescriptor> _methods = new(StringComparer.Ordinal);

    /// <summary>What the tool is for.</summary>
    public string? Description { get; set; }

    /// <summary>Answers calls in dry-run mode.</summary>
    public IToolPlanner? Planner { get; set; }

    /// <summary>Adds a method whose typed request is <typeparamref name="TRequest"/>; its handler is found by the mediator.</summary>
    public ToolBuilder AddMethod<TRequest>(string method, string? description = null)
        where TRequest : IToolRequest
    {
        _methods[method] = ToolMethodDescriptor.For(typeof(TRequest), method, description);
        return this;
    }

    internal ToolDescriptor Build() => new()
    {
        Name = name,
        Description = Description,
        Methods = _methods,
        Planner = Planner,
    };
}
