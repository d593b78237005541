using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Runtime;
using WorkflowEngine.Tests.Support;

namespace WorkflowEngine.Tests.Runtime;

public class RunLifecycleTests
{
    private sealed class Recorder : IRunLifecycle
    {
        public List<(string RunId, RunStatus Status)> Ended { get; } = [];

        public ValueTask RunEndedAsync(string runId, RunStatus status, CancellationToken cancellationToken)
        {
            Ended.Add((runId, status));
            return ValueTask.CompletedTask;
        }
    }

    private const string Yaml = """
        agents:
          - { id: speaker, agent_type: builtin }
        workflows:
          flow:
            steps:
              - id: say
                agent: speaker
                input: ${user_input}
        """;

    [Theory]
    [InlineData("ok", RunStatus.Succeeded)]
    [InlineData("fail", RunStatus.Failed)]
    public async Task RunAsync_AnyOutcome_TellsEveryLifecycleOnceWithTheRunId(string input, RunStatus expected)
    {
        var recorder = new Recorder();
        var agent = new ScriptedAgent(r => r.Input);
        using var provider = TestEngine.Build(Yaml, b =>
        {
            b.AddBuiltinAgent("speaker", input == "ok" ? agent : new FailingAgent());
            b.Services.AddSingleton<IRunLifecycle>(recorder);
        });

        var result = await provider.GetRequiredService<IWorkflowRunner>().RunAsync("flow", new Dictionary<string, object?> { ["user_input"] = input });

        Assert.Equal(expected, result.Status);
        Assert.Equal([(result.RunId, expected)], recorder.Ended);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StillTellsLifecycles()
    {
        var recorder = new Recorder();
        var started = new TaskCompletionSource();
        using var provider = TestEngine.Build(Yaml, b =>
        {
            b.AddBuiltinAgent("speaker", new BlockingAgent(started));
            b.Services.AddSingleton<IRunLifecycle>(recorder);
        });
        using var cancellation = new CancellationTokenSource();

        var run = provider.GetRequiredService<IWorkflowRunner>().RunAsync("flow", new Dictionary<string, object?> { ["user_input"] = "x" }, cancellation.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Single(recorder.Ended);
        Assert.Equal(RunStatus.Failed, recorder.Ended[0].Status);
    }

    private sealed class FailingAgent : WorkflowEngine.Agents.IAgent
    {
        public ValueTask<WorkflowEngine.Agents.AgentReply> RespondAsync(WorkflowEngine.Agents.AgentRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(WorkflowEngine.Agents.AgentReply.Failure("broken"));
    }

    private sealed class BlockingAgent(TaskCompletionSource started) : WorkflowEngine.Agents.IAgent
    {
        public async ValueTask<WorkflowEngine.Agents.AgentReply> RespondAsync(WorkflowEngine.Agents.AgentRequest request, CancellationToken cancellationToken = default)
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return WorkflowEngine.Agents.AgentReply.FromText("never");
        }
    }
}
