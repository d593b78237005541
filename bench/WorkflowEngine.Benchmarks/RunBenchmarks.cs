using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Runtime;

namespace WorkflowEngine.Benchmarks;

/// <summary>A three-step run with builtin agents: routing, conditions, JSON parsing and mediator dispatch, end to end.</summary>
[MemoryDiagnoser]
public class RunBenchmarks
{
    private const string Yaml = """
        agents:
          - { id: echo_agent, agent_type: builtin, builtin: echo }
        workflows:
          flow:
            steps:
              - id: parse
                agent: echo_agent
                input: '{"kind": "greeting", "name": "${user_input}"}'
                output:
                  to:
                    - condition: { if: "${steps.parse.output.kind} == 'greeting'", then: greet, else: other }
              - id: greet
                agent: echo_agent
                input: "Hello, ${steps.parse.output.name}"
                output: { to: user }
              - id: other
                agent: echo_agent
                input: other
                output: { to: user }
        """;

    private IWorkflowRunner _runner = null!;
    private readonly Dictionary<string, object?> _inputs = new() { ["user_input"] = "Ada" };

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddMediator();
        services.AddWorkflowEngine(o => o.AgentMode = AgentMode.Builtin).AddDefinitionsYaml(Yaml);
        _runner = services.BuildServiceProvider().GetRequiredService<IWorkflowRunner>();
    }

    [Benchmark]
    public Task<RunResult> ThreeStepRun() => _runner.RunAsync("flow", _inputs);
}
