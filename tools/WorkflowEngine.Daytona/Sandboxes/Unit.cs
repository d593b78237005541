namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>The value of an operation that returns nothing but can fail.</summary>
public readonly record struct Unit
{
    /// <summary>The only value.</summary>
    public static Unit Value => default;
}
