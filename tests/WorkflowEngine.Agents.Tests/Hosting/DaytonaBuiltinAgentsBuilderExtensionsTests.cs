using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Agents.Tests.Hosting;

public sealed class DaytonaBuiltinAgentsBuilderExtensionsTests
{
    private const string Yaml = """
        agents:
          - id: input_normalizer
            agent_type: openai
            model: gpt-4o-mini
            system_prompt: Normalize.
          - id: action_classifier
            agent_type: openai
            model: gpt-4o-mini
            system_prompt: Classify.
          - id: parameter_builder
            agent_type: openai
            model: gpt-4o-mini
            system_prompt: Build.
        workflows:
          plan:
            steps:
              - id: normalize
                agent: input_normalizer
                input: ${user_input}
              - id: classify
                agent: action_classifier
                input: ${steps.normalize.output}
              - id: build
                agent: parameter_builder
                input: "Action: ${steps.classify.output.action}"
                output:
                  to: user
        """;

    [Fact]
    public async Task AddDaytonaBuiltinAgents_WorkflowWithLlmAgentIds_RunsBuiltinsOffline()
    {
        var services = new ServiceCollection();
        services.AddMediator();
        services.AddWorkflowEngine(o =>
        {
            o.AgentMode = AgentMode.Builtin;
            o.OpenAIApiKey = null;
            o.OpenAIBaseUrl = null;
        }).AddDefinitionsYaml(Yaml, "test.yaml").AddDaytonaBuiltinAgents();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IWorkflowRunner>().RunAsync(
            "plan", new Dictionary<string, object?> { ["user_input"] = "Delete sandbox sandbox-7f3a9c" });

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal("delete_sandbox", output["method"]);
        Assert.Equal("sandbox-7f3a9c", Assert.IsType<Dictionary<string, object?>>(output["params"])["sandbox_id"]);
    }
}
