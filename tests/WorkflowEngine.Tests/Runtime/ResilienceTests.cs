using Mediator;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Runtime;
using WorkflowEngine.Tests.Support;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Tests.Runtime;

/// <summary>A trivial tool method used by the event-stream test.</summary>
public sealed record PingRequest : IRequest<PingResult>, IToolRequest
{
    public required string Text { get; init; }
}

/// <summary>The result of <see cref="PingRequest"/>.</summary>
public sealed record PingResult(string Pong);

/// <summary>Handles <see cref="PingRequest"/>.</summary>
public sealed class PingHandler : IRequestHandler<PingRequest, PingResult>
{
    public ValueTask<PingResult> Handle(PingRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PingResult(request.Text + "!"));
}

public class ResilienceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private const string SingleStepYaml = """
        agents:
          - id: worker
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: work
                  agent: worker
                  input: ${user_input}
                  retry: 2
                  output: { to: user }
        """;

    /// <summary>Fails a given number of times, then answers.</summary>
    private sealed class FlakyAgent(int failures) : IAgent
    {
        private int _calls;

        public int Calls => _calls;

        public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(call <= failures
                ? AgentReply.Failure($"transient failure {call}")
                : AgentReply.FromText($"ok on attempt {call}"));
        }
    }

    /// <summary>Signals that it started, then waits until cancelled.</summary>
    private sealed class HangingAgent : IAgent
    {
        private int _calls;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => _calls;

        public async ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return AgentReply.FromText("unreachable");
        }
    }

    [Fact]
    public async Task RunAsync_RetryTwoFlakyAgent_SucceedsOnThirdAttempt()
    {
        var flaky = new FlakyAgent(failures: 2);

        var result = await TestEngine.RunAsync(SingleStepYaml, "flow", "go", b => b.AddBuiltinAgent("worker", flaky)).WaitAsync(Bound);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("ok on attempt 3", result.Output);
        Assert.Equal(3, flaky.Calls);
        var step = Assert.Single(result.Steps);
        Assert.Equal(StepStatus.Succeeded, step.Status);
        Assert.Equal(3, step.Attempts);
    }

    [Fact]
    public async Task RunAsync_RetryExhausted_FailsRunWithLastError()
    {
        var flaky = new FlakyAgent(failures: 10);

        var result = await TestEngine.RunAsync(SingleStepYaml, "flow", "go", b => b.AddBuiltinAgent("worker", flaky)).WaitAsync(Bound);

        Assert.False(result.Succeeded);
        Assert.Equal(3, flaky.Calls);
        Assert.Contains("Step 'work' failed", result.Error);
        Assert.Contains("transient failure 3", result.Error);
        var step = Assert.Single(result.Steps);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal(3, step.Attempts);
    }

    [Fact]
    public async Task RunAsync_NoRetry_FailsAfterOneAttempt()
    {
        var yaml = SingleStepYaml.Replace("retry: 2", "retry: 0", StringComparison.Ordinal);
        var flaky = new FlakyAgent(failures: 1);

        var result = await TestEngine.RunAsync(yaml, "flow", "go", b => b.AddBuiltinAgent("worker", flaky)).WaitAsync(Bound);

        Assert.False(result.Succeeded);
        Assert.Equal(1, flaky.Calls);
        Assert.Equal(1, Assert.Single(result.Steps).Attempts);
    }

    [Fact]
    public async Task RunAsync_TimeoutOnSlowAgent_FailsWithTimedOutWithoutHanging()
    {
        const string yaml = """
            agents:
              - id: slow
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: wait
                      agent: slow
                      input: ${user_input}
                      timeout: 100ms
            """;
        var slow = new HangingAgent();

        var result = await TestEngine.RunAsync(yaml, "flow", "go", b => b.AddBuiltinAgent("slow", slow)).WaitAsync(Bound);

        Assert.False(result.Succeeded);
        Assert.Contains("timed out", result.Error);
        Assert.Contains("100 ms", result.Error);
        Assert.Equal(1, slow.Calls);
        Assert.Equal(StepStatus.Failed, Assert.Single(result.Steps).Status);
    }

    [Fact]
    public async Task RunAsync_TimeoutWithRetry_RetriesEachTimedOutAttempt()
    {
        const string yaml = """
            agents:
              - id: slow
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: wait
                      agent: slow
                      input: ${user_input}
                      timeout: 50ms
                      retry: 1
            """;
        var slow = new HangingAgent();

        var result = await TestEngine.RunAsync(yaml, "flow", "go", b => b.AddBuiltinAgent("slow", slow)).WaitAsync(Bound);

        Assert.False(result.Succeeded);
        Assert.Contains("timed out", result.Error);
        Assert.Equal(2, slow.Calls);
        Assert.Equal(2, Assert.Single(result.Steps).Attempts);
    }

    [Fact]
    public async Task RunAsync_RouteLoopsForever_FailsWithStepBudgetError()
    {
        const string yaml = """
            agents:
              - id: echo
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: a
                      agent: echo
                      input: "a"
                      output: { to: b }
                    - id: b
                      agent: echo
                      input: "b"
                      output: { to: a }
            """;

        var result = await TestEngine.RunAsync(yaml, "flow", "go", options: o => o.MaxSteps = 5).WaitAsync(Bound);

        Assert.False(result.Succeeded);
        Assert.Contains("Step budget", result.Error);
        Assert.Contains("MaxSteps", result.Error);
        Assert.Equal(5, result.Steps.Count);
        Assert.Equal(["a", "b", "a", "b", "a"], result.Steps.Select(s => s.Id));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileStepAwaits_ThrowsOperationCanceledPromptly()
    {
        const string yaml = """
            agents:
              - id: slow
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: wait
                      agent: slow
                      input: ${user_input}
                      retry: 3
            """;
        var slow = new HangingAgent();
        using var cts = new CancellationTokenSource();
        var run = TestEngine.RunAsync(yaml, "flow", "go", b => b.AddBuiltinAgent("slow", slow), cancellationToken: cts.Token);

        await slow.Started.Task.WaitAsync(Bound);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bound));
        Assert.Equal(1, slow.Calls);
    }

    [Fact]
    public async Task StreamAsync_MixedWorkflow_YieldsEventsInOrder()
    {
        const string yaml = """
            agents:
              - id: echo
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: greet
                      agent: echo
                      input: "hi ${user_input}"
                    - id: maybe
                      agent: echo
                      when: "${steps.greet.output} == 'never'"
                      input: "skipped"
                    - id: ping
                      tool: pinger
                      method: ping
                      params:
                        text: ${steps.greet.output}
                      output: { to: user }
            """;
        using var provider = TestEngine.Build(yaml, b => b.AddTool("pinger", t => t.AddMethod<PingRequest>("ping")));
        var runner = provider.GetRequiredService<IWorkflowRunner>();

        var events = new List<RunEvent>();
        await foreach (var runEvent in runner.StreamAsync("flow", new Dictionary<string, object?> { ["user_input"] = "bob" }).WithCancellation(CancellationToken.None))
        {
            events.Add(runEvent);
        }

        var described = events.Select(e => e switch
        {
            StepStarted s => $"started:{s.StepId}",
            StepCompleted s => $"completed:{s.StepId}",
            StepSkipped s => $"skipped:{s.StepId}",
            StepFailed s => $"failed:{s.StepId}",
            ToolCalled t => $"tool:{t.Call.Tool}.{t.Call.Method}",
            OutputProduced => "output",
            RunCompleted => "run-completed",
            _ => e.GetType().Name,
        }).ToArray();
        Assert.Equal(
            [
                "started:greet", "completed:greet",
                "started:maybe", "skipped:maybe",
                "started:ping", "tool:pinger.ping", "completed:ping",
                "output",
                "run-completed",
            ],
            described);

        var runId = Assert.IsType<RunCompleted>(events[^1]).Result.RunId;
        Assert.All(events, e => Assert.Equal(runId, e.RunId));
        Assert.Equal("hi bob", Assert.IsType<StepCompleted>(events[1]).Output);
        var output = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<OutputProduced>(events[7]).Output);
        Assert.Equal("hi bob!", output["pong"]);
        var final = Assert.IsType<RunCompleted>(events[^1]).Result;
        Assert.True(final.Succeeded, final.Error);
        Assert.Same(output, final.Output);
    }

    [Fact]
    public async Task StreamAsync_FailingStep_YieldsStepFailedThenRunCompleted()
    {
        const string yaml = """
            agents:
              - id: worker
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: work
                      agent: worker
                      input: ${user_input}
            """;
        using var provider = TestEngine.Build(yaml, b => b.AddBuiltinAgent("worker", new FlakyAgent(failures: 5)));
        var runner = provider.GetRequiredService<IWorkflowRunner>();

        var events = new List<RunEvent>();
        await foreach (var runEvent in runner.StreamAsync("flow", new Dictionary<string, object?> { ["user_input"] = "x" }))
        {
            events.Add(runEvent);
        }

        Assert.Collection(
            events,
            e => Assert.Equal("work", Assert.IsType<StepStarted>(e).StepId),
            e => Assert.Contains("transient failure 1", Assert.IsType<StepFailed>(e).Error),
            e => Assert.False(Assert.IsType<RunCompleted>(e).Result.Succeeded));
    }
}
