namespace WorkflowEngine.Runtime;

/// <summary>How a run ended.</summary>
public enum RunStatus
{
    /// <summary>Every route ended without an unhandled step failure.</summary>
    Succeeded,

    /// <summary>A step failed with no <c>on_error</c> route, the step budget ran out, or the definitions are invalid.</summary>
    Failed,
}
