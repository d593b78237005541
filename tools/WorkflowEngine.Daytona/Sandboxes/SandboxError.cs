namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>A failed sandbox operation: its kind and a message that says what to do.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">What went wrong and how to fix it.</param>
public sealed record SandboxError(SandboxErrorKind Kind, string Message)
{
    /// <summary>The snake_case name used as <c>error_type</c> in tool results.</summary>
    public string TypeName => Kind switch
    {
        SandboxErrorKind.InvalidArgument => "invalid_argument",
        SandboxErrorKind.NotFound => "not_found",
        SandboxErrorKind.Conflict => "conflict",
        SandboxErrorKind.Unavailable => "unavailable",
        SandboxErrorKind.LimitExceeded => "limit_exceeded",
        SandboxErrorKind.Timeout => "timeout",
        SandboxErrorKind.Authentication => "authentication",
        SandboxErrorKind.Authorization => "authorization",
        SandboxErrorKind.RateLimited => "rate_limited",
        SandboxErrorKind.Connection => "connection",
        _ => "failed",
    };

    /// <inheritdoc />
    public override string ToString() => $"{TypeName}: {Message}";
}
