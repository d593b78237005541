namespace WorkflowEngine.Runtime;

/// <summary>How one step ended.</summary>
public enum StepStatus
{
    /// <summary>The step produced an output.</summary>
    Succeeded,

    /// <summary>The step failed after its retries.</summary>
    Failed,

    /// <summary>The step's <c>when</c> condition was false.</summary>
    Skipped,
}
