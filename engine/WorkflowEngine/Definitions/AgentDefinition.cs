namespace WorkflowEngine.Definitions;

/// <summary>An agent from <c>agents.yaml</c>.</summary>
public sealed record AgentDefinition
{
    /// <summary>The unique id that steps use in <c>agent:</c>.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The kind of agent: <c>builtin</c>, or an LLM type. <c>openai</c>, <c>langchain-openai</c> and
    /// <c>ollama</c> all mean an OpenAI-compatible chat endpoint.
    /// </summary>
    public string? AgentType { get; init; }

    /// <summary>The builtin implementation's name when it differs from <see cref="Id"/>.</summary>
    public string? Builtin { get; init; }

    /// <summary>The LLM model, for example <c>gpt-4o-mini</c>.</summary>
    public string? Model { get; init; }

    /// <summary>The chat endpoint, overriding <c>OPENAI_BASE_URL</c>.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The sampling temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>The reply length limit.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The system prompt, a Scriban template.</summary>
    public ValueNode? SystemPrompt { get; init; }

    /// <summary>Where the agent is defined.</summary>
    public SourcePosition Position { get; init; } = SourcePosition.None;

    /// <summary>Whether this agent runs on an OpenAI-compatible endpoint rather than in code.</summary>
    public bool IsLlm => AgentType is not null && !string.Equals(AgentType, "builtin", StringComparison.OrdinalIgnoreCase);
}
