using System.Collections;
using WorkflowEngine.Definitions;
using WorkflowEngine.Templating;
using WorkflowEngine.Tools;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Tests.Validation;

/// <summary>Workflows that call themselves, and validation time that grows linearly with the definitions.</summary>
public class WorkflowCycleValidationTests
{
    private const string FileName = "cycles.yaml";

    private static List<Diagnostic> Errors(string yaml) =>
        Errors(new DefinitionLoader(_ => null).LoadYaml(yaml, FileName));

    private static List<Diagnostic> Errors(DefinitionSet set) =>
        new DefinitionValidator(new TemplateRenderer()).Validate(set, new ToolCatalog([]))
            .Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    private static SourcePosition At(string yaml, string needle, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = yaml.IndexOf(needle, index + 1, StringComparison.Ordinal);
        }

        var line = 1 + yaml[..index].Count(c => c == '\n');
        return new SourcePosition(FileName, line, index - (yaml.LastIndexOf('\n', index) + 1) + 1);
    }

    [Fact]
    public void Validate_WorkflowCallsItself_OneErrorAtTheInvokingStep()
    {
        const string yaml = """
            workflows:
              again:
                steps:
                  - id: recurse
                    workflow: again
            """;

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(At(yaml, "workflow: again"), error.Position);
        Assert.StartsWith("Workflow cycle: again → again ('again' step 'recurse' at cycles.yaml:5:9)", error.Message);
        Assert.Contains("route back to an earlier step", error.Message);
    }

    [Fact]
    public void Validate_TwoWorkflowsCallEachOther_OneErrorNamingTheChainAndBothSteps()
    {
        const string yaml = """
            agents:
              - { id: echo, agent_type: builtin, builtin: echo }
            workflows:
              a:
                steps:
                  - id: first
                    agent: echo
                  - id: call_b
                    invoke_workflow: b
              b:
                steps:
                  - id: call_a
                    when: "${user_input} == 'again'"
                    workflow: a
            """;

        var error = Assert.Single(Errors(yaml));

        var callB = At(yaml, "invoke_workflow: b");
        var callA = At(yaml, "workflow: a");
        Assert.Equal(callB, error.Position);
        Assert.Contains($"Workflow cycle: a → b → a ('a' step 'call_b' at {callB}, 'b' step 'call_a' at {callA})", error.Message);
    }

    [Fact]
    public void Validate_TwoSeparateCycles_OneErrorEach()
    {
        const string yaml = """
            workflows:
              a: { steps: [ { id: s, workflow: b } ] }
              b: { steps: [ { id: s, workflow: a } ] }
              c: { steps: [ { id: s, workflow: c } ] }
              d: { steps: [ { id: s, workflow: a } ] }
            """;

        var errors = Errors(yaml);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.StartsWith("Workflow cycle: a → b → a", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.StartsWith("Workflow cycle: c → c", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LongChainWithoutCycle_NoError()
    {
        // Deep enough that a recursive search would exhaust the stack.
        const int count = 100_000;
        var workflows = Enumerable.Range(0, count).Select(i => new WorkflowDefinition
        {
            Id = $"w{i}",
            Steps = [i + 1 < count ? new StepDefinition { Id = "next", Workflow = $"w{i + 1}" } : new StepDefinition { Id = "end", Tool = "none", Method = ValueNode.From("x") }],
        }).ToList();

        var errors = Errors(new DefinitionSet { Workflows = workflows });

        Assert.DoesNotContain(errors, e => e.Message.StartsWith("Workflow cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TwiceTheStepsAndWorkflows_AboutTwiceTheLookups()
    {
        // Counts how often validation reads the lists of workflows, agents and steps: a lookup that scans a list per
        // step makes the count (and the time) grow with the square of the size.
        static long Reads(int size)
        {
            var counter = new ReadCounter();
            var agents = counter.Wrap(Enumerable.Range(0, size).Select(i => new AgentDefinition { Id = $"agent{i}", AgentType = "builtin" }).ToList());
            var steps = counter.Wrap(Enumerable.Range(0, size).Select(i => new StepDefinition { Id = $"s{i}", Agent = $"agent{i}" }).ToList());
            var workflows = counter.Wrap(Enumerable.Range(0, size)
                .Select(i => new WorkflowDefinition { Id = $"w{i}", Steps = [new StepDefinition { Id = "call", Workflow = $"w{i + 1}" }] })
                .Where(w => w.Id != $"w{size - 1}")
                .Append(new WorkflowDefinition { Id = "big", Steps = steps })
                .ToList());
            _ = Errors(new DefinitionSet { Agents = agents, Workflows = workflows });
            return counter.Reads;
        }

        var small = Reads(2_000);
        var large = Reads(4_000);

        Assert.True(large <= small * 2.5, $"{small} reads for 2,000 items but {large} for 4,000");
    }

    /// <summary>Lists that count every item read, through the indexer or an enumerator.</summary>
    private sealed class ReadCounter
    {
        public long Reads { get; private set; }

        public IReadOnlyList<T> Wrap<T>(List<T> items) => new Counted<T>(items, this);

        private sealed class Counted<T>(List<T> items, ReadCounter counter) : IReadOnlyList<T>
        {
            public int Count => items.Count;

            public T this[int index]
            {
                get
                {
                    counter.Reads++;
                    return items[index];
                }
            }

            public IEnumerator<T> GetEnumerator()
            {
                foreach (var item in items)
                {
                    counter.Reads++;
                    yield return item;
                }
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
