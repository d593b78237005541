namespace WorkflowEngine.Tools;

/// <summary>Answers tool calls in dry-run mode with plausible results, without side effects.</summary>
public interface IToolPlanner
{
    /// <summary>Returns the result the real method would plausibly give.</summary>
    IReadOnlyDictionary<string, object?> Plan(string method, IReadOnlyDictionary<string, object?> parameters);
}
