using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WorkflowEngine.Agents;
using WorkflowEngine.Definitions;
using WorkflowEngine.Hosting;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Runtime;

/// <summary>Runs workflows from the catalog: refuses invalid definitions, checks agents up front, then executes and streams events.</summary>
internal sealed partial class WorkflowRunner(
    IDefinitionCatalog catalog,
    WorkflowExecutor executor,
    IAgentResolver agents,
    IOptions<WorkflowEngineOptions> options,
    TimeProvider timeProvider,
    IEnumerable<IRunLifecycle> lifecycles,
    Microsoft.Extensions.Logging.ILogger<WorkflowRunner> logger) : IWorkflowRunner
{
    public async Task<RunResult> RunAsync(string workflowId, IReadOnlyDictionary<string, object?> inputs, CancellationToken cancellationToken = default)
    {
        RunResult? result = null;
        await foreach (var runEvent in StreamAsync(workflowId, inputs, cancellationToken))
        {
            if (runEvent is RunCompleted completed)
            {
                result = completed.Result;
            }
        }

        return result ?? throw new InvalidOperationException("The run ended without a result.");
    }

    public async IAsyncEnumerable<RunEvent> StreamAsync(
        string workflowId, IReadOnlyDictionary<string, object?> inputs, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        ArgumentNullException.ThrowIfNull(inputs);
        var channel = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
        var run = Task.Run(() => RunCoreAsync(workflowId, inputs, channel.Writer, cancellationToken), CancellationToken.None);

        // The run observes the token itself; reading until the channel closes means that a cancelled caller gets its
        // OperationCanceledException only after the run's cleanup (ephemeral sandboxes…) has finished.
        await foreach (var runEvent in channel.Reader.ReadAllAsync(CancellationToken.None))
        {
            yield return runEvent;
        }

        await run;
    }

    private async Task RunCoreAsync(string workflowId, IReadOnlyDictionary<string, object?> inputs, ChannelWriter<RunEvent> events, CancellationToken cancellationToken)
    {
        var runId = "run-" + Guid.NewGuid().ToString("N")[..12];
        var journal = new RunJournal(runId, timeProvider, events, options.Value.MaxSteps, options.Value.DryRun, inputs);
        RunResult? result = null;
        try
        {
            result = await ExecuteAsync(workflowId, inputs, journal, cancellationToken);
        }
        catch (Exception ex)
        {
            await EndRunAsync(runId, RunStatus.Failed);
            events.TryComplete(ex);
            throw;
        }

        await EndRunAsync(runId, result.Status);
        events.TryWrite(new RunCompleted(result) { RunId = runId, Timestamp = timeProvider.GetUtcNow() });
        events.TryComplete();
    }

    /// <summary>Lets tools release what the run held (ephemeral sandboxes…), even when it failed or was cancelled.</summary>
    private async Task EndRunAsync(string runId, RunStatus status)
    {
        foreach (var lifecycle in lifecycles)
        {
            try
            {
                await lifecycle.RunEndedAsync(runId, status, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One tool's failed cleanup must not keep the others from releasing theirs.
                LogCleanupFailed(logger, runId, lifecycle.GetType().Name, ex);
            }
        }
    }

    private async Task<RunResult> ExecuteAsync(string workflowId, IReadOnlyDictionary<string, object?> inputs, RunJournal journal, CancellationToken cancellationToken)
    {
        RunResult Failed(string error, IReadOnlyList<Diagnostic>? diagnostics = null) => new()
        {
            RunId = journal.RunId,
            Workflow = workflowId,
            Status = RunStatus.Failed,
            Error = error,
            Steps = journal.Steps,
            ToolCalls = journal.ToolCalls,
            Diagnostics = diagnostics ?? [],
        };

        var errors = catalog.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            return Failed($"The definitions have {errors.Count} error(s); run `wfe validate` to see them all. First: {errors[0]}", errors);
        }

        var definitions = catalog.Definitions;
        if (definitions.FindWorkflow(workflowId) is not { } workflow)
        {
            var known = definitions.Workflows.Select(w => w.Id).ToList();
            return Failed($"Workflow '{workflowId}' not found.{Suggestions.DidYouMean(workflowId, known)} Available workflows: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        if (CheckAgents(workflow, definitions) is { Count: > 0 } agentErrors)
        {
            return Failed(string.Join(" ", agentErrors));
        }

        var state = new RunState(workflow, inputs, journal, "");
        var error = await executor.ExecuteAsync(state, cancellationToken);
        return new RunResult
        {
            RunId = journal.RunId,
            Workflow = workflowId,
            Status = error is null ? RunStatus.Succeeded : RunStatus.Failed,
            Output = state.HasUserOutput ? state.UserOutput : state.LastOutput,
            Error = error,
            Steps = journal.Steps,
            ToolCalls = journal.ToolCalls,
        };
    }

    /// <summary>Finds agents that cannot run before any step runs, following sub-workflows.</summary>
    private List<string> CheckAgents(WorkflowDefinition root, DefinitionSet definitions)
    {
        var problems = new List<string>();
        var seenWorkflows = new HashSet<string>(StringComparer.Ordinal);
        var seenAgents = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<WorkflowDefinition>([root]);
        while (pending.TryPop(out var workflow))
        {
            if (!seenWorkflows.Add(workflow.Id))
            {
                continue;
            }

            foreach (var step in workflow.Steps)
            {
                if (step.Agent is { } agentId && seenAgents.Add(agentId) && definitions.FindAgent(agentId) is { } agent
                    && agents.Resolve(agent).Error is { } error)
                {
                    problems.Add(error);
                }
                else if (step.Workflow is { } child && definitions.FindWorkflow(child) is { } sub)
                {
                    pending.Push(sub);
                }
            }
        }

        return problems;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "Run {RunId}: cleanup by {Lifecycle} failed")]
    private static partial void LogCleanupFailed(Microsoft.Extensions.Logging.ILogger logger, string runId, string lifecycle, Exception exception);
}
