namespace WorkflowEngine.Tools;

/// <summary>The tools registered in code.</summary>
public interface IToolCatalog
{
    /// <summary>All tools.</summary>
    IReadOnlyCollection<ToolDescriptor> Tools { get; }

    /// <summary>Finds a tool by implementation name.</summary>
    ToolDescriptor? Find(string name);
}
