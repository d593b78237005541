namespace WorkflowEngine.Definitions;

/// <summary>A tool configured in <c>tools.yaml</c>.</summary>
public sealed record ToolDefinition
{
    /// <summary>The id that steps use in <c>tool:</c> and <c>local://</c> URLs.</summary>
    public required string Id { get; init; }

    /// <summary>The registered tool implementation; defaults to <see cref="Id"/>.</summary>
    public string? Type { get; init; }

    /// <summary>What the tool is for.</summary>
    public string? Description { get; init; }

    /// <summary>Who may call it: <c>anonymous</c> or <c>authenticated</c>.</summary>
    public string? Permission { get; init; }

    /// <summary>Tool settings with <c>${ENV}</c> references already expanded.</summary>
    public IReadOnlyDictionary<string, object?> Config { get; init; } = new Dictionary<string, object?>();

    /// <summary>Where the tool is defined.</summary>
    public SourcePosition Position { get; init; } = SourcePosition.None;

    /// <summary>The implementation name to look up.</summary>
    public string ImplementationName => Type ?? Id;
}
