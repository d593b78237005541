using System.Text;
using WorkflowEngine.Definitions;
using WorkflowEngine.Hosting;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Tests.Definitions;

/// <summary>Hostile definition files: deep nesting, alias bombs, oversized and non-regular files end in one error at the right place.</summary>
public class DefinitionLoaderLimitTests
{
    private const string FileName = "limits.yaml";

    private static DefinitionSet Load(string yaml) => new DefinitionLoader(_ => null).LoadYaml(yaml, FileName);

    private static Diagnostic SingleError(DefinitionSet set) => Assert.Single(set.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);

    [Fact]
    public void LoadYaml_FlowNestingPastTheLimit_ErrorAtTheFirstBracketTooDeep()
    {
        // The top-level mapping is level 1, so the 64th bracket opens level 65, one past the default of 64.
        var yaml = "workflows: " + new string('[', 200) + new string(']', 200) + "\n";

        var error = SingleError(Load(yaml));

        Assert.Equal(new SourcePosition(FileName, 1, "workflows: ".Length + 64), error.Position);
        Assert.Contains("nest more than 64 levels", error.Message);
        Assert.Contains("WorkflowEngineOptions.MaxYamlNestingDepth", error.Message);
    }

    [Fact]
    public void LoadYaml_BlockNestingPastTheLimit_ErrorAtTheLineTooDeep()
    {
        var yaml = new StringBuilder();
        for (var level = 0; level < 100; level++)
        {
            yaml.Append(' ', level).Append('k').Append(level).Append(":\n");
        }

        var error = SingleError(Load(yaml.ToString()));

        // Line n holds the first key of the mapping at level n; level 65 is the first one too deep.
        Assert.Equal(65, error.Position.Line);
        Assert.Equal(65, error.Position.Column);
    }

    [Fact]
    public void LoadYaml_NestingRaisedInOptions_DeepFileLoads()
    {
        var yaml = "workflows: " + new string('[', 200) + new string(']', 200) + "\n";

        var set = new DefinitionLoader(_ => null, new WorkflowEngineOptions { MaxYamlNestingDepth = 300 }).LoadYaml(yaml, FileName);

        Assert.DoesNotContain(set.Diagnostics, d => d.Message.Contains("nest more than", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadYaml_AliasBomb_ErrorAtTheAliasThatCrossesTheBudget()
    {
        // Each level repeats the one before ten times: a5 would expand to 1,111,111 nodes.
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level <= 5; level++)
        {
            yaml.Append($"a{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat($"*a{level - 1}", 10)).Append("]\n");
        }

        var text = yaml.ToString();
        var error = SingleError(Load(text));

        // Aliases up to the a3 line add 10*11 + 10*111 + 10*1111 = 12,330 nodes; each *a3 adds 11,111, so the
        // 8th on the a4 line is the one that passes 100,000.
        var line = text.Split('\n')[4];
        var column = IndexOfOccurrence(line, "*a3", 8) + 1;
        Assert.Equal(new SourcePosition(FileName, 5, column), error.Position);
        Assert.Contains("more than 100,000 nodes", error.Message);
        Assert.Contains("WorkflowEngineOptions.MaxYamlAliasNodes", error.Message);
    }

    [Fact]
    public void LoadYaml_LongTextRepeatedByAliases_CountsByLength()
    {
        // 200 aliases of a 1 MB text are few nodes but 200 MB once expanded into a prompt or a request body.
        var yaml = $"big: &big \"{new string('x', 1_000_000)}\"\nrepeat: [{string.Join(", ", Enumerable.Repeat("*big", 200))}]\n";

        var error = SingleError(Load(yaml));

        Assert.Equal(2, error.Position.Line);
        Assert.Contains("WorkflowEngineOptions.MaxYamlAliasNodes", error.Message);
    }

    [Fact]
    public void LoadYaml_AliasesWithinBudget_LoadAsBefore()
    {
        const string yaml = """
            agents:
              - &echo { id: echo, agent_type: builtin, builtin: echo }
            workflows:
              flow:
                steps:
                  - id: a
                    agent: echo
                    input: &text "hello"
                  - id: b
                    agent: echo
                    input: *text
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        Assert.Equal("hello", set.Workflows[0].Steps[1].Input!.Text);
    }

    [Fact]
    public void LoadYaml_AliasInsideItsOwnAnchor_Error()
    {
        const string yaml = "loop: &self [a, *self]\n";

        var error = SingleError(Load(yaml));

        Assert.Equal(new SourcePosition(FileName, 1, 17), error.Position);
        Assert.Contains("contains it", error.Message);
    }

    [Fact]
    public void LoadFile_LargerThanTheCap_ErrorNamingTheOptionWithoutParsing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wfe-big-{Guid.NewGuid():N}.yaml");
        try
        {
            // 11 MiB of comments: valid YAML, over the 10 MiB default.
            var line = "# " + new string('x', 1021) + "\n";
            File.WriteAllText(path, string.Concat(Enumerable.Repeat(line, 11 * 1024)));

            var error = SingleError(new DefinitionLoader(_ => null).LoadFile(path));

            Assert.Equal(new SourcePosition(path, 1, 1), error.Position);
            Assert.Contains("10 MiB", error.Message);
            Assert.Contains("WorkflowEngineOptions.MaxDefinitionFileBytes", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int IndexOfOccurrence(string text, string needle, int occurrence)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = text.IndexOf(needle, index + 1, StringComparison.Ordinal);
        }

        return index;
    }
}
