using WorkflowEngine.Definitions;

namespace WorkflowEngine.Tools;

/// <summary>
/// The call a typed tool handler is serving: its tool configuration and the run it belongs to. Set by the
/// engine around each dispatch (like <see cref="System.Diagnostics.Activity.Current"/>), so that typed
/// requests carry only the method's own parameters.
/// </summary>
public sealed class ToolCallContext
{
    private static readonly AsyncLocal<ToolCallContext?> CurrentContext = new();

    /// <summary>The call being served on this async flow, or <see langword="null"/> outside tool dispatch.</summary>
    public static ToolCallContext? Current
    {
        get => CurrentContext.Value;
        internal set => CurrentContext.Value = value;
    }

    /// <summary>The tool id the step used.</summary>
    public required string ToolId { get; init; }

    /// <summary>The method called.</summary>
    public required string Method { get; init; }

    /// <summary>The tool's <c>tools.yaml</c> entry, when there is one.</summary>
    public ToolDefinition? Configuration { get; init; }

    /// <summary>The run making the call; <see langword="null"/> for a direct call from code.</summary>
    public string? RunId { get; init; }

    /// <summary>The run's inputs (such as <c>user_input</c>, <c>session</c>, <c>keep</c>); empty for a direct call.</summary>
    public IReadOnlyDictionary<string, object?> RunInputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>A configuration value, or <see langword="null"/>.</summary>
    public object? Config(string key) => Configuration?.Config.GetValueOrDefault(key);
}
