using System.Collections.Concurrent;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>
/// The sandboxes each run uses: its current one ("my environment") and the ephemeral ones it created, which are
/// deleted when the run ends unless the run was started with <c>keep</c>.
/// </summary>
public sealed class RunSandboxes : IRunLifecycle
{
    private readonly ConcurrentDictionary<string, RunState> _runs = new(StringComparer.Ordinal);

    /// <summary>The sandbox the run created or used last.</summary>
    public string? Current(string runId) => _runs.TryGetValue(runId, out var state) ? state.Current : null;

    /// <summary>Records the sandbox the run now works in.</summary>
    public void Use(string runId, string sandboxId) => _runs.GetOrAdd(runId, _ => new RunState()).Current = sandboxId;

    /// <summary>Records a sandbox to delete when the run ends, and the provider it lives in.</summary>
    public void AddEphemeral(string runId, string sandboxId, Sandboxes.ISandboxProvider provider, bool keep)
    {
        var state = _runs.GetOrAdd(runId, _ => new RunState());
        state.Current = sandboxId;
        if (!keep)
        {
            state.Ephemeral.Add((sandboxId, provider));
        }
    }

    /// <summary>Forgets a sandbox the run deleted itself.</summary>
    public void Forget(string runId, string sandboxId)
    {
        if (_runs.TryGetValue(runId, out var state))
        {
            state.Ephemeral.RemoveAll(e => e.Id == sandboxId);
            if (state.Current == sandboxId)
            {
                state.Current = null;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask RunEndedAsync(string runId, RunStatus status, CancellationToken cancellationToken)
    {
        if (!_runs.TryRemove(runId, out var state))
        {
            return;
        }

        foreach (var (id, provider) in state.Ephemeral)
        {
            try
            {
                await provider.DeleteAsync(id, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Keep deleting the others; the provider's idle TTL removes what is left.
            }
        }
    }

    private sealed class RunState
    {
        public string? Current { get; set; }

        public List<(string Id, Sandboxes.ISandboxProvider Provider)> Ephemeral { get; } = [];
    }
}
