using WorkflowEngine.Runtime;
using WorkflowEngine.Tests.Support;

namespace WorkflowEngine.Tests.Runtime;

public class WorkflowRunnerSmokeTests
{
    private const string Yaml = """
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
                      - condition:
                          if: "${context.step_outputs.classify.type} == 'greeting'"
                          then: greet
                          else: other
                - id: greet
                  agent: echo
                  input: "hello ${steps.classify.output.name}"
                  output: { to: user }
                - id: other
                  agent: echo
                  input: "other"
                  output: { to: user }
        """;

    [Fact]
    public async Task RunAsync_JsonReplyAndLangSwarmCondition_RoutesOnStructuredField()
    {
        var classifier = new ScriptedAgent(r => """{"type": "greeting", "name": "Ada"}""");
        var result = await TestEngine.RunAsync(Yaml, "flow", "hi", b => b.AddBuiltinAgent("classify", classifier));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("hello Ada", result.Output);
        Assert.Equal(["classify", "greet"], result.Steps.Select(s => s.Id));
        Assert.Equal("hi", classifier.Requests.Single().Input);
    }
}
