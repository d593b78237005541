using System.Threading.Channels;

namespace WorkflowEngine.Runtime;

/// <summary>What a run has done so far, shared by the workflow and its sub-workflows: records, tool calls, events and the step budget.</summary>
internal sealed class RunJournal(string runId, TimeProvider timeProvider, ChannelWriter<RunEvent> events, int maxSteps, bool dryRun, IReadOnlyDictionary<string, object?> inputs)
{
    public IReadOnlyDictionary<string, object?> Inputs { get; } = inputs;

    private readonly List<StepRecord> _steps = [];
    private readonly List<ToolCallRecord> _toolCalls = [];
    private readonly List<string> _recentSteps = [];
    private int _executed;

    public string RunId { get; } = runId;

    public bool DryRun { get; } = dryRun;

    public IReadOnlyList<StepRecord> Steps => _steps;

    public IReadOnlyList<ToolCallRecord> ToolCalls => _toolCalls;

    public TimeProvider Time { get; } = timeProvider;

    /// <summary>Counts a step against the budget; returns an error when the budget is spent.</summary>
    public string? Consume(string stepId)
    {
        _executed++;
        _recentSteps.Add(stepId);
        if (_recentSteps.Count > 6)
        {
            _recentSteps.RemoveAt(0);
        }

        return _executed > maxSteps
            ? $"Step budget of {maxSteps} steps exceeded (last steps: {string.Join(" -> ", _recentSteps)}). A route probably loops: add a condition that ends it, or raise WorkflowEngineOptions.MaxSteps."
            : null;
    }

    public void AddStep(StepRecord record) => _steps.Add(record);

    public void AddToolCall(ToolCallRecord call)
    {
        _toolCalls.Add(call);
        Emit(new ToolCalled(call) { RunId = RunId, Timestamp = Time.GetUtcNow() });
    }

    public void Emit(RunEvent runEvent) => events.TryWrite(runEvent);

    public DateTimeOffset Now => Time.GetUtcNow();
}
