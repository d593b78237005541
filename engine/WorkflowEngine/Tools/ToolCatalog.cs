namespace WorkflowEngine.Tools;

/// <summary>The registered tools, by name.</summary>
internal sealed class ToolCatalog(IEnumerable<ToolDescriptor> tools) : IToolCatalog
{
    private readonly Dictionary<string, ToolDescriptor> _tools = tools
        .GroupBy(t => t.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public IReadOnlyCollection<ToolDescriptor> Tools => _tools.Values;

    public ToolDescriptor? Find(string name) => _tools.GetValueOrDefault(name);
}
