namespace WorkflowEngine.Runtime;

/// <summary>Runs workflows by id.</summary>
public interface IWorkflowRunner
{
    /// <summary>Runs a workflow to the end.</summary>
    /// <param name="workflowId">The workflow to run.</param>
    /// <param name="inputs">Run inputs, such as <c>user_input</c>; each becomes a template variable.</param>
    /// <param name="cancellationToken">Cancels the run at the next await; the call then throws <see cref="OperationCanceledException"/>.</param>
    Task<RunResult> RunAsync(string workflowId, IReadOnlyDictionary<string, object?> inputs, CancellationToken cancellationToken = default);

    /// <summary>Runs a workflow and yields its events as they happen; the last is <see cref="RunCompleted"/>.</summary>
    /// <param name="workflowId">The workflow to run.</param>
    /// <param name="inputs">Run inputs.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    IAsyncEnumerable<RunEvent> StreamAsync(string workflowId, IReadOnlyDictionary<string, object?> inputs, CancellationToken cancellationToken = default);
}
