namespace WorkflowEngine.Agents;

/// <summary>An agent's answer: text (a JSON object becomes structured output), or an error.</summary>
public sealed record AgentReply
{
    /// <summary>The reply text.</summary>
    public string Text { get; init; } = "";

    /// <summary>Why the agent could not answer; <see langword="null"/> on success.</summary>
    public string? Error { get; init; }

    /// <summary>A successful reply.</summary>
    public static AgentReply FromText(string text) => new() { Text = text };

    /// <summary>A failed reply.</summary>
    public static AgentReply Failure(string error) => new() { Error = error };
}
