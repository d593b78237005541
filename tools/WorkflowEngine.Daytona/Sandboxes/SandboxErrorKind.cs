namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>What kind of failure a sandbox operation had; stable across providers.</summary>
public enum SandboxErrorKind
{
    /// <summary>A parameter is wrong (a path outside the sandbox, an unknown language…).</summary>
    InvalidArgument,

    /// <summary>The sandbox, file or branch does not exist.</summary>
    NotFound,

    /// <summary>The name is taken, or the state does not allow the operation.</summary>
    Conflict,

    /// <summary>The provider cannot run code safely here (no bubblewrap, say) or a runtime is missing.</summary>
    Unavailable,

    /// <summary>A limit was hit: size, memory, processes.</summary>
    LimitExceeded,

    /// <summary>The operation took too long.</summary>
    Timeout,

    /// <summary>The credentials are missing or wrong.</summary>
    Authentication,

    /// <summary>The operation failed for another reason; the message says which.</summary>
    Failed,

    /// <summary>The credentials are valid but not allowed to do this (HTTP 403).</summary>
    Authorization,

    /// <summary>Too many requests: the service asked to slow down (HTTP 429).</summary>
    RateLimited,

    /// <summary>The service could not be reached, or the connection broke before an answer.</summary>
    Connection,
}
