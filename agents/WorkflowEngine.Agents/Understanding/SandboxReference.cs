namespace WorkflowEngine.Agents.Understanding;

/// <summary>How a request points at an existing sandbox.</summary>
public enum SandboxReference
{
    /// <summary>The request names no sandbox.</summary>
    None,

    /// <summary>By id, such as <c>sandbox-7f3a9c</c>.</summary>
    Id,

    /// <summary>By name, such as "the sandbox named ml-project".</summary>
    Name,

    /// <summary>The session's current one: "my environment", "my project", "the sandbox".</summary>
    Current,
}
