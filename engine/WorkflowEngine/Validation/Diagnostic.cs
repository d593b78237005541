using WorkflowEngine.Definitions;

namespace WorkflowEngine.Validation;

/// <summary>One problem in the definitions, printed compiler-style: <c>path:line:col: error: message</c>.</summary>
/// <param name="Severity">Whether the problem stops a run.</param>
/// <param name="Position">Where it is.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record Diagnostic(DiagnosticSeverity Severity, SourcePosition Position, string Message)
{
    /// <summary>Creates an error.</summary>
    public static Diagnostic Error(SourcePosition position, string message) => new(DiagnosticSeverity.Error, position, message);

    /// <summary>Creates a warning.</summary>
    public static Diagnostic Warning(SourcePosition position, string message) => new(DiagnosticSeverity.Warning, position, message);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Position}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")}: {Message}";
}
