using WorkflowEngine.Runtime;
using WorkflowEngine.Tests.Support;

namespace WorkflowEngine.Tests.Runtime;

/// <summary>LangSwarm conditions that the original engine always evaluated to false, run through real workflows.</summary>
public class ConditionCompatibilityTests
{
    /// <summary>A workflow whose first step replies with <paramref name="reply"/> and then routes on <paramref name="condition"/>.</summary>
    private static async Task<RunResult> RouteAsync(string condition, string reply)
    {
        var yaml = $$"""
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
                              if: '{{condition.Replace("'", "''")}}'
                              then: yes_branch
                              else: no_branch
                    - id: yes_branch
                      agent: echo
                      input: "yes"
                      output: { to: user }
                    - id: no_branch
                      agent: echo
                      input: "no"
                      output: { to: user }
            """;
        var check = new ScriptedAgent(_ => reply);
        var result = await TestEngine.RunAsync(yaml, "flow", "x", b => b.AddBuiltinAgent("check", check));
        Assert.True(result.Succeeded, result.Error);
        return result;
    }

    [Theory]
    [InlineData("""{"valid": true}""", "yes")]
    [InlineData("""{"valid": false}""", "no")]
    public async Task IfCondition_JsonReplyComparedToLowercaseTrue_FollowsValue(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check.valid} == true", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"valid": true}""", "yes")]
    [InlineData("""{"valid": false}""", "no")]
    public async Task IfCondition_PythonTrueLiteral_FollowsValue(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check.valid} == True", reply);

        Assert.Equal(expected, result.Output);
    }

    [Fact]
    public async Task IfCondition_LangSwarmEnvelopeWithJsonInside_StaysTextAndComparesAsString()
    {
        // {"response": "..."} alone becomes its text, so `.valid` is not reachable, but the text itself is comparable.
        var result = await RouteAsync("${context.step_outputs.check} == 'approved'", """{"response": "approved"}""");

        Assert.Equal("yes", result.Output);
    }

    [Theory]
    [InlineData("""{"level": "high"}""", "yes")]
    [InlineData("""{"level": "low"}""", "no")]
    [InlineData("""{"level": "high priority"}""", "no")]
    public async Task IfCondition_UnquotedPlaceholderComparedToString_ComparesAsString(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check.level} == 'high'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"level": "high"}""", "yes")]
    [InlineData("""{"level": "low"}""", "no")]
    public async Task IfCondition_QuotedPlaceholderComparedToString_ComparesAsString(string reply, string expected)
    {
        var result = await RouteAsync("'${context.step_outputs.check.level}' == 'high'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"level": "high"}""", "no")]
    [InlineData("""{"level": "low"}""", "yes")]
    public async Task IfCondition_NotEquals_ComparesAsString(string reply, string expected)
    {
        var result = await RouteAsync("${steps.check.output.level} != 'high'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("The build failed with an error", "yes")]
    [InlineData("All good", "no")]
    public async Task IfCondition_InfixContainsOnText_ChecksSubstring(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check} contains 'error'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("The build failed with an error", "yes")]
    [InlineData("All good", "no")]
    public async Task IfCondition_PythonStringIn_ChecksSubstring(string reply, string expected)
    {
        var result = await RouteAsync("'error' in ${context.step_outputs.check}", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"tags": ["urgent", "billing"]}""", "yes")]
    [InlineData("""{"tags": ["billing"]}""", "no")]
    public async Task IfCondition_ContainsOnList_ChecksMembership(string reply, string expected)
    {
        var result = await RouteAsync("${steps.check.output.tags} contains 'urgent'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"valid": true, "level": "high"}""", "yes")]
    [InlineData("""{"valid": true, "level": "low"}""", "no")]
    [InlineData("""{"valid": false, "level": "high"}""", "no")]
    public async Task IfCondition_AndAnd_RequiresBoth(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check.valid} == true && ${context.step_outputs.check.level} == 'high'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"valid": true, "level": "high"}""", "yes")]
    [InlineData("""{"valid": true, "level": "low"}""", "no")]
    [InlineData("""{"valid": false, "level": "high"}""", "no")]
    public async Task IfCondition_PythonAnd_RequiresBoth(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check.valid} == True and ${context.step_outputs.check.level} == 'high'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"level": "high"}""", "yes")]
    [InlineData("""{"level": "critical"}""", "yes")]
    [InlineData("""{"level": "low"}""", "no")]
    public async Task IfCondition_OrOr_AcceptsEither(string reply, string expected)
    {
        var result = await RouteAsync("${steps.check.output.level} == 'high' || ${steps.check.output.level} == 'critical'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("""{"level": "high"}""", "yes")]
    [InlineData("""{"level": "low"}""", "no")]
    public async Task IfCondition_PythonOr_AcceptsEither(string reply, string expected)
    {
        var result = await RouteAsync("${steps.check.output.level} == 'high' or ${steps.check.output.level} == 'critical'", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("create_sandbox", "yes")]
    [InlineData("get_sandbox_info", "yes")]
    [InlineData("execute_code", "no")]
    public async Task IfCondition_PythonInList_ChecksMembership(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check} in ['create_sandbox', 'delete_sandbox', 'get_sandbox_info']", reply);

        Assert.Equal(expected, result.Output);
    }

    [Theory]
    [InlineData("create_sandbox", "no")]
    [InlineData("execute_code", "yes")]
    public async Task IfCondition_PythonNotInList_ChecksNonMembership(string reply, string expected)
    {
        var result = await RouteAsync("${context.step_outputs.check} not in ['create_sandbox', 'delete_sandbox']", reply);

        Assert.Equal(expected, result.Output);
    }

    /// <summary>The step-level <c>condition:</c> form of workflows.initial.yaml: only the matching extractor runs.</summary>
    private const string InitialStyleYaml = """
        agents:
          - id: action_classifier
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          - id: use_daytona_environment_tool
            steps:
              - id: classify_action
                agent: action_classifier
                input: |
                  User request: ${user_input}
              - id: extract_details
                agent: echo
                condition: "${context.step_outputs.classify_action} in ['create_sandbox', 'delete_sandbox', 'get_sandbox_info']"
                input: "sandbox details for ${context.step_outputs.classify_action}"
              - id: extract_code_details
                agent: echo
                condition: "${context.step_outputs.classify_action} in ['execute_code', 'execute_shell']"
                input: "code details for ${context.step_outputs.classify_action}"
              - id: extract_file_details
                agent: echo
                condition: "${context.step_outputs.classify_action} == 'file_operation'"
                input: "file details"
        """;

    [Theory]
    [InlineData("delete_sandbox", "extract_details")]
    [InlineData("execute_shell", "extract_code_details")]
    [InlineData("file_operation", "extract_file_details")]
    public async Task StepCondition_InitialWorkflowInListForm_RunsOnlyMatchingStep(string action, string expectedStep)
    {
        var classifier = new ScriptedAgent(_ => action);

        var result = await TestEngine.RunAsync(InitialStyleYaml, "use_daytona_environment_tool", "do it", b => b.AddBuiltinAgent("action_classifier", classifier));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("User request: do it", classifier.Requests.Single().Input.TrimEnd());
        var ran = result.Steps.Where(s => s.Status == StepStatus.Succeeded).Select(s => s.Id).ToArray();
        Assert.Equal(["classify_action", expectedStep], ran);
        Assert.Equal(2, result.Steps.Count(s => s.Status == StepStatus.Skipped));
        Assert.Equal(4, result.Steps.Count);
    }
}
