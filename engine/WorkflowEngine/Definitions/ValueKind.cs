namespace WorkflowEngine.Definitions;

/// <summary>The shape of a <see cref="ValueNode"/>.</summary>
public enum ValueKind
{
    /// <summary>A single value: text, number, boolean or null.</summary>
    Scalar,

    /// <summary>A list.</summary>
    Sequence,

    /// <summary>A map of keys to values.</summary>
    Mapping,
}
