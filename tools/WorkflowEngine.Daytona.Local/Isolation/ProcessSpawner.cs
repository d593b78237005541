using System.Collections.Concurrent;
using System.Diagnostics;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>
/// Starts every sandbox process from one long-lived thread. bwrap's <c>--die-with-parent</c> fires when the
/// parent <em>thread</em> exits, so starting it from a pool thread that later retires would kill the sandbox
/// (and orphan its children); see <c>shared/notes/local-sandbox.md</c> §7.
/// </summary>
internal sealed class ProcessSpawner : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _queue = new();
    private readonly Thread _thread;

    public ProcessSpawner()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "wfe-sandbox-spawner" };
        _thread.Start();
    }

    public static ProcessSpawner Shared { get; } = new();

    public Task<Process> StartAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((info, started));
        return started.Task;
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Run()
    {
        foreach (var (info, started) in _queue.GetConsumingEnumerable())
        {
            try
            {
                // Right before each start: descriptors inherited or opened without close-on-exec since the last one
                // must not reach a sandbox.
                Native.CloseOnExecAll();
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
