using System.Diagnostics.CodeAnalysis;

namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>The value of a sandbox operation, or the error that stopped it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct SandboxResult<T>
{
    private SandboxResult(T? value, SandboxError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when the operation succeeded.</summary>
    public T? Value { get; }

    /// <summary>The error when it failed.</summary>
    public SandboxError? Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>A success.</summary>
    public static SandboxResult<T> Ok(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static SandboxResult<T> Fail(SandboxErrorKind kind, string message) => new(default, new SandboxError(kind, message));

    /// <summary>A failure.</summary>
    public static SandboxResult<T> Fail(SandboxError error) => new(default, error);

    /// <summary>Wraps a value.</summary>
    public static implicit operator SandboxResult<T>(T value) => Ok(value);

    /// <summary>Wraps an error.</summary>
    public static implicit operator SandboxResult<T>(SandboxError error) => Fail(error);
}
