namespace WorkflowEngine.Validation;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Worth fixing; the workflow still runs.</summary>
    Warning,

    /// <summary>The workflow cannot run until it is fixed.</summary>
    Error,
}
