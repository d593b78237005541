using WorkflowEngine.Agents;
using WorkflowEngine.Runtime;
using WorkflowEngine.Tests.Support;

namespace WorkflowEngine.Tests.Runtime;

public class RoutingTests
{
    private static Task<RunResult> RunAsync(string yaml, string workflow, string userInput, params (string Name, IAgent Agent)[] agents) =>
        TestEngine.RunAsync(yaml, workflow, userInput, b =>
        {
            foreach (var (name, agent) in agents)
            {
                b.AddBuiltinAgent(name, agent);
            }
        });

    private static string[] Ids(RunResult result) => result.Steps.Select(s => s.Id).ToArray();

    private sealed class FailingAgent(string error) : IAgent
    {
        public int Calls { get; private set; }

        public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            return ValueTask.FromResult(AgentReply.Failure(error));
        }
    }

    [Fact]
    public async Task RunAsync_StepWithoutOutputTo_ContinuesWithNextStepInList()
    {
        const string yaml = """
            agents:
              - id: echo
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: first
                      agent: echo
                      input: "one"
                    - id: second
                      agent: echo
                      input: "${steps.first.output} two"
                    - id: third
                      agent: echo
                      input: "${previous_output} three"
            """;

        var result = await TestEngine.RunAsync(yaml, "flow", "x");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["first", "second", "third"], Ids(result));
        Assert.Equal("one two three", result.Output);
        Assert.All(result.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task RunAsync_OutputToStepId_JumpsToThatStep()
    {
        const string yaml = """
            agents:
              - id: echo
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: start
                      agent: echo
                      input: "start"
                      output: { to: finish }
                    - id: skipped_over
                      agent: echo
                      input: "should not run"
                      output: { to: finish }
                    - id: finish
                      agent: echo
                      input: "finish after ${steps.start.output}"
            """;

        var result = await TestEngine.RunAsync(yaml, "flow", "x");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["start", "finish"], Ids(result));
        Assert.Equal("finish after start", result.Output);
    }

    [Fact]
    public async Task RunAsync_OutputToList_RunsTargetsInOrderDepthFirst()
    {
        // List order is a, d, b, c; routing a -> [b, d] with b -> c must run a, b, c, d.
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
                      input: "A"
                      output:
                        to: [b, d]
                    - id: d
                      agent: echo
                      input: "D after ${steps.c.output}"
                      output: { to: user }
                    - id: b
                      agent: echo
                      input: "B"
                      output: { to: c }
                    - id: c
                      agent: echo
                      input: "C after ${steps.b.output}"
                      output: { to: user }
            """;

        var result = await TestEngine.RunAsync(yaml, "flow", "x");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["a", "b", "c", "d"], Ids(result));
        Assert.Equal("D after C after B", result.Output);
    }

    [Fact]
    public async Task RunAsync_OutputToUser_SetsOutputAndEndsBranch()
    {
        const string yaml = """
            agents:
              - id: echo
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: answer
                      agent: echo
                      input: "the answer to ${user_input}"
                      output: { to: user }
                    - id: never
                      agent: echo
                      input: "must not run"
            """;

        var result = await TestEngine.RunAsync(yaml, "flow", "life");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["answer"], Ids(result));
        Assert.Equal("the answer to life", result.Output);
    }

    private const string IfYaml = """
        agents:
          - id: check
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: check
                  agent: check
                  input: ${user_input}
                  output:
                    to:
                      - condition:
                          if: "${steps.check.output.score} > 5"
                          then: high
                          else: low
                - id: high
                  agent: echo
                  input: "high ${steps.check.output.score}"
                  output: { to: user }
                - id: low
                  agent: echo
                  input: "low ${steps.check.output.score}"
                  output: { to: user }
        """;

    [Theory]
    [InlineData("9", "high", "high 9")]
    [InlineData("2", "low", "low 2")]
    public async Task RunAsync_IfCondition_TakesThenOrElseBranch(string score, string expectedStep, string expectedOutput)
    {
        var check = new ScriptedAgent(r => $$"""{"score": {{r.Input}}}""");

        var result = await RunAsync(IfYaml, "flow", score, ("check", check));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["check", expectedStep], Ids(result));
        Assert.Equal(expectedOutput, result.Output);
    }

    private const string SwitchYaml = """
        agents:
          - id: classify
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: classify
                  agent: classify
                  input: ${user_input}
                  output:
                    to:
                      condition:
                        switch: "${steps.classify.output.kind}"
                        cases:
                          create: on_create
                          delete: on_delete
                        default: on_other
                - id: on_create
                  agent: echo
                  input: "creating"
                  output: { to: user }
                - id: on_delete
                  agent: echo
                  input: "deleting"
                  output: { to: user }
                - id: on_other
                  agent: echo
                  input: "unknown ${steps.classify.output.kind}"
                  output: { to: user }
        """;

    [Theory]
    [InlineData("create", "on_create", "creating")]
    [InlineData("delete", "on_delete", "deleting")]
    [InlineData("rename", "on_other", "unknown rename")]
    public async Task RunAsync_SwitchCondition_PicksMatchingCaseOrDefault(string kind, string expectedStep, string expectedOutput)
    {
        var classify = new ScriptedAgent(r => $$"""{"kind": "{{r.Input}}"}""");

        var result = await RunAsync(SwitchYaml, "flow", kind, ("classify", classify));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["classify", expectedStep], Ids(result));
        Assert.Equal(expectedOutput, result.Output);
    }

    private const string ExistsYaml = """
        agents:
          - id: lookup
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: lookup
                  agent: lookup
                  input: ${user_input}
                  output:
                    to:
                      - condition:
                          exists: steps.lookup.output.url
                          then: found
                          else: missing
                - id: found
                  agent: echo
                  input: "found ${steps.lookup.output.url}"
                  output: { to: user }
                - id: missing
                  agent: echo
                  input: "missing"
                  output: { to: user }
        """;

    [Theory]
    [InlineData("""{"url": "https://example.test/x"}""", "found", "found https://example.test/x")]
    [InlineData("""{"url": ""}""", "missing", "missing")]
    [InlineData("""{"other": 1}""", "missing", "missing")]
    [InlineData("plain text, no object", "missing", "missing")]
    public async Task RunAsync_ExistsCondition_BranchesOnPresence(string reply, string expectedStep, string expectedOutput)
    {
        var lookup = new ScriptedAgent(_ => reply);

        var result = await RunAsync(ExistsYaml, "flow", "q", ("lookup", lookup));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["lookup", expectedStep], Ids(result));
        Assert.Equal(expectedOutput, result.Output);
    }

    private const string WhenYaml = """
        agents:
          - id: gate
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: gate
                  agent: gate
                  input: ${user_input}
                - id: optional_when
                  agent: echo
                  when: "${steps.gate.output.go} == true"
                  input: "ran when"
                - id: optional_condition
                  agent: echo
                  condition: "${steps.gate.output.go} == true"
                  input: "ran condition"
                - id: last
                  agent: echo
                  input: "last: ${steps.optional_when.status}/${steps.optional_condition.status}"
        """;

    [Fact]
    public async Task RunAsync_WhenAndConditionFalse_SkipsStepsAndContinuesWithNextInList()
    {
        var gate = new ScriptedAgent(_ => """{"go": false}""");

        var result = await RunAsync(WhenYaml, "flow", "x", ("gate", gate));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["gate", "optional_when", "optional_condition", "last"], Ids(result));
        Assert.Equal(StepStatus.Skipped, result.Steps[1].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps[2].Status);
        Assert.Null(result.Steps[1].Output);
        Assert.Equal("last: skipped/skipped", result.Output);
    }

    [Fact]
    public async Task RunAsync_WhenAndConditionTrue_RunsSteps()
    {
        var gate = new ScriptedAgent(_ => """{"go": true}""");

        var result = await RunAsync(WhenYaml, "flow", "x", ("gate", gate));

        Assert.True(result.Succeeded, result.Error);
        Assert.All(result.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.Equal("ran when", result.Steps[1].Output);
        Assert.Equal("ran condition", result.Steps[2].Output);
        Assert.Equal("last: succeeded/succeeded", result.Output);
    }

    private const string ForEachYaml = """
        agents:
          - id: split
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: split
                  agent: split
                  input: ${user_input}
                - id: each_default
                  agent: echo
                  for_each: ${steps.split.output.items}
                  input: "${index}:${item}"
                - id: each_named
                  agent: echo
                  for_each: ${steps.split.output.items}
                  as: word
                  input: "${word}!"
                - id: count
                  agent: echo
                  input: "${steps.each_default.output | array.size} items"
        """;

    [Fact]
    public async Task RunAsync_ForEach_RunsOncePerItemWithItemIndexAndAs()
    {
        var split = new ScriptedAgent(_ => """{"items": ["red", "green", "blue"]}""");
        var echo = new ScriptedAgent(r => r.Input);

        var result = await RunAsync(ForEachYaml, "flow", "x", ("split", split), ("echo", echo));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["split", "each_default", "each_named", "count"], Ids(result));
        Assert.Equal(new List<object?> { "0:red", "1:green", "2:blue" }, Assert.IsType<List<object?>>(result.Steps[1].Output));
        Assert.Equal(new List<object?> { "red!", "green!", "blue!" }, Assert.IsType<List<object?>>(result.Steps[2].Output));
        Assert.Equal("3 items", result.Output);
        Assert.Equal(7, echo.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_ForEachOverNonList_FailsWithMessage()
    {
        var split = new ScriptedAgent(_ => """{"items": "not a list"}""");

        var result = await RunAsync(ForEachYaml, "flow", "x", ("split", split));

        Assert.False(result.Succeeded);
        Assert.Contains("for_each", result.Error);
        Assert.Contains("must resolve to a list", result.Error);
    }

    private static string SubWorkflowYaml(string keyword) => $$"""
        agents:
          - id: echo
            agent_type: builtin
          - id: inner_agent
            agent_type: builtin
        workflows:
          main_workflow:
            - id: parent
              steps:
                - id: call_text
                  {{keyword}}: child
                  input: "hello ${user_input}"
                - id: call_object
                  {{keyword}}: child_fields
                  input:
                    topic: "${user_input}"
                    count: 3
                - id: after
                  agent: echo
                  input: "text=${steps.call_text.output}; object=${steps.call_object.output}"
            - id: child
              steps:
                - id: inner
                  agent: inner_agent
                  input: "child got ${user_input}"
                  output: { to: user }
            - id: child_fields
              steps:
                - id: fields
                  agent: echo
                  input: "${topic} x${count}"
        """;

    [Theory]
    [InlineData("workflow")]
    [InlineData("invoke_workflow")]
    public async Task RunAsync_SubWorkflow_PassesInputsAndRecordsQualifiedSteps(string keyword)
    {
        var inner = new ScriptedAgent(r => r.Input.ToUpperInvariant());

        var result = await RunAsync(SubWorkflowYaml(keyword), "parent", "world", ("inner_agent", inner));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["call_text/inner", "call_text", "call_object/fields", "call_object", "after"], Ids(result));
        Assert.Equal("child got hello world", inner.Requests.Single().Input);
        Assert.Equal("CHILD GOT HELLO WORLD", result.Steps.Single(s => s.Id == "call_text").Output);
        Assert.Equal("world x3", result.Steps.Single(s => s.Id == "call_object").Output);
        Assert.Equal("text=CHILD GOT HELLO WORLD; object=world x3", result.Output);
    }

    [Fact]
    public async Task RunAsync_SubWorkflowStepFails_FailsParentStepAndRun()
    {
        var failing = new FailingAgent("inner exploded");

        var result = await RunAsync(SubWorkflowYaml("workflow"), "parent", "world", ("inner_agent", failing));

        Assert.False(result.Succeeded);
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("inner exploded", result.Error);
        Assert.Contains("call_text", result.Error);
        Assert.Contains("Sub-workflow 'child'", result.Error);
        Assert.Equal(StepStatus.Failed, result.Steps.Single(s => s.Id == "call_text/inner").Status);
        Assert.Equal(StepStatus.Failed, result.Steps.Single(s => s.Id == "call_text").Status);
        Assert.DoesNotContain(result.Steps, s => s.Id == "after");
    }

    private const string OnErrorYaml = """
        agents:
          - id: risky
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: risky
                  agent: risky
                  input: ${user_input}
                  on_error: recover
                  output: { to: done }
                - id: done
                  agent: echo
                  input: "done with ${steps.risky.output}"
                  output: { to: user }
                - id: recover
                  agent: echo
                  input: "recovered from: ${error} (status ${steps.risky.status})"
                  output: { to: user }
        """;

    [Fact]
    public async Task RunAsync_StepFailsWithOnError_RoutesToHandlerWithErrorVariable()
    {
        var risky = new FailingAgent("disk full");

        var result = await RunAsync(OnErrorYaml, "flow", "x", ("risky", risky));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["risky", "recover"], Ids(result));
        Assert.Equal(StepStatus.Failed, result.Steps[0].Status);
        Assert.Equal("disk full", result.Steps[0].Error);
        Assert.Equal("recovered from: disk full (status failed)", result.Output);
    }

    [Fact]
    public async Task RunAsync_StepSucceedsWithOnError_FollowsNormalRoute()
    {
        var risky = new ScriptedAgent(_ => "fine");

        var result = await RunAsync(OnErrorYaml, "flow", "x", ("risky", risky));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["risky", "done"], Ids(result));
        Assert.Equal("done with fine", result.Output);
    }

    [Fact]
    public async Task RunAsync_StepFailsWithoutOnError_FailsRunNamingStep()
    {
        const string yaml = """
            agents:
              - id: risky
                agent_type: builtin
              - id: echo
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: risky
                      agent: risky
                      input: ${user_input}
                    - id: after
                      agent: echo
                      input: "after"
            """;

        var result = await RunAsync(yaml, "flow", "x", ("risky", new FailingAgent("no luck")));

        Assert.False(result.Succeeded);
        Assert.Equal("Step 'risky' failed: no luck", result.Error);
        Assert.Equal(["risky"], Ids(result));
    }
}
