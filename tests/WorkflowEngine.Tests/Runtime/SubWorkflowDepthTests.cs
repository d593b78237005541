using System.Text;
using WorkflowEngine.Tests.Support;

namespace WorkflowEngine.Tests.Runtime;

/// <summary>Sub-workflow nesting is bounded at run time, and a deep failure is reported once, not once per level.</summary>
public class SubWorkflowDepthTests
{
    /// <summary>Workflows w0 → w1 → … → w(count-1); the last runs <paramref name="lastAgent"/>.</summary>
    private static string Chain(int count, string lastAgent)
    {
        var yaml = new StringBuilder($"agents:\n  - {{ id: {lastAgent}, agent_type: builtin }}\nworkflows:\n");
        for (var i = 0; i < count; i++)
        {
            yaml.Append($"  w{i}:\n    steps:\n");
            yaml.Append(i + 1 < count
                ? $"      - id: call\n        workflow: w{i + 1}\n        input: \"${{user_input}}\"\n"
                : $"      - id: work\n        agent: {lastAgent}\n        input: \"${{user_input}}\"\n");
        }

        return yaml.ToString();
    }

    [Fact]
    public async Task RunAsync_ChainDeeperThanMaxWorkflowDepth_FailsWithOneLineNamingTheChain()
    {
        var agent = new ScriptedAgent(request => request.Input);

        var result = await TestEngine.RunAsync(Chain(20, "echo"), "w0", "hi", b => b.AddBuiltinAgent("echo", agent));

        Assert.False(result.Succeeded);
        Assert.Empty(agent.Requests);
        var chain = string.Join(" → ", Enumerable.Range(0, 17).Select(i => $"w{i}"));
        Assert.Equal(
            $"Sub-workflow 'w15': Step '{string.Join("/", Enumerable.Repeat("call", 16))}' failed: sub-workflows nest deeper than WorkflowEngineOptions.MaxWorkflowDepth (16): {chain}. "
            + "A workflow that calls itself, directly or through others, never ends; repeat with a route back to an earlier step instead, or raise MaxWorkflowDepth.",
            result.Error);
    }

    [Fact]
    public async Task RunAsync_ChainWithinMaxWorkflowDepth_Succeeds()
    {
        var agent = new ScriptedAgent(_ => "done");

        var result = await TestEngine.RunAsync(Chain(16, "echo"), "w0", "hi", b => b.AddBuiltinAgent("echo", agent));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("done", result.Output);
    }

    [Fact]
    public async Task RunAsync_MaxWorkflowDepthRaised_DeeperChainRuns()
    {
        var agent = new ScriptedAgent(_ => "done");

        var result = await TestEngine.RunAsync(Chain(20, "echo"), "w0", "hi", b => b.AddBuiltinAgent("echo", agent), o => o.MaxWorkflowDepth = 20);

        Assert.True(result.Succeeded, result.Error);
    }

    [Fact]
    public async Task RunAsync_FailureDeepInSubWorkflows_ReportedOnceWithTheQualifiedStep()
    {
        var agent = new ScriptedAgent(_ => throw new InvalidOperationException("boom"));

        var result = await TestEngine.RunAsync(Chain(10, "broken"), "w0", "hi", b => b.AddBuiltinAgent("broken", agent));

        Assert.False(result.Succeeded);
        var path = string.Join("/", Enumerable.Repeat("call", 9)) + "/work";
        Assert.StartsWith($"Sub-workflow 'w9': Step '{path}' failed: ", result.Error);
        Assert.Equal(2, result.Error!.Split("failed:").Length);
        Assert.Equal(2, result.Error.Split("Sub-workflow").Length);
        Assert.Contains("boom", result.Error);
    }
}
