using WorkflowEngine.Definitions;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Tests.Definitions;

public class DefinitionLoaderTests
{
    private const string FileName = "defs.yaml";

    private static DefinitionSet Load(string yaml, Func<string, string?>? environment = null) =>
        new DefinitionLoader(environment ?? (_ => null)).LoadYaml(yaml, FileName);

    /// <summary>The 1-based line and column where <paramref name="needle"/> first occurs in <paramref name="text"/>.</summary>
    private static (int Line, int Column) Find(string text, string needle, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = text.IndexOf(needle, index + 1, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{needle}' not found in the YAML");
        }

        var line = 1 + text[..index].Count(c => c == '\n');
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        if (index == 0)
        {
            lineStart = 0;
        }

        return (line, index - lineStart + 1);
    }

    private static void AssertAt(SourcePosition position, string text, string needle, int occurrence = 1)
    {
        var (line, column) = Find(text, needle, occurrence);
        Assert.Equal(FileName, position.File);
        Assert.Equal((line, column), (position.Line, position.Column));
    }

    private static IEnumerable<Diagnostic> Errors(DefinitionSet set) => set.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    private static IEnumerable<Diagnostic> Warnings(DefinitionSet set) => set.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);

    // ----- agents -----

    [Fact]
    public void LoadYaml_AgentsAsList_ReadsEveryAgentAndItsFields()
    {
        const string yaml = """
            agents:
              - id: classifier
                agent_type: langchain-openai
                model: gpt-4
                temperature: 0.2
                max_tokens: 16000
                base_url: http://localhost:11434/v1
                system_prompt: |
                  You classify requests.
              - id: echoer
                agent_type: builtin
                builtin: echo
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["classifier", "echoer"], set.Agents.Select(a => a.Id));
        var classifier = set.Agents[0];
        Assert.Equal("langchain-openai", classifier.AgentType);
        Assert.Equal("gpt-4", classifier.Model);
        Assert.Equal(0.2, classifier.Temperature);
        Assert.Equal(16000, classifier.MaxTokens);
        Assert.Equal("http://localhost:11434/v1", classifier.BaseUrl);
        Assert.Equal("You classify requests.\n", classifier.SystemPrompt?.Text);
        Assert.True(classifier.IsLlm);
        var echoer = set.Agents[1];
        Assert.Equal("echo", echoer.Builtin);
        Assert.False(echoer.IsLlm);
        AssertAt(classifier.Position, yaml, "id: classifier");
        AssertAt(echoer.Position, yaml, "id: echoer");
    }

    [Fact]
    public void LoadYaml_AgentsAsDictKeyedById_UsesTheKeysAsIds()
    {
        const string yaml = """
            agents:
              summarizer:
                agent_type: openai
                model: gpt-4o-mini
              echo:
                agent_type: builtin
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["summarizer", "echo"], set.Agents.Select(a => a.Id));
        Assert.Equal("gpt-4o-mini", set.FindAgent("summarizer")?.Model);
        Assert.Equal("builtin", set.FindAgent("echo")?.AgentType);
    }

    [Fact]
    public void LoadYaml_AgentWithoutAgentType_ReportsMissingRequiredField()
    {
        const string yaml = """
            agents:
              - id: lonely
                model: gpt-4
            """;

        var set = Load(yaml);

        var error = Assert.Single(Errors(set));
        Assert.Contains("'lonely'", error.Message);
        Assert.Contains("agent_type", error.Message);
        AssertAt(error.Position, yaml, "id: lonely");
        Assert.Single(set.Agents);
    }

    [Fact]
    public void LoadYaml_AgentWithoutId_ReportsErrorAndSkipsTheAgent()
    {
        const string yaml = """
            agents:
              - agent_type: builtin
            """;

        var set = Load(yaml);

        Assert.Empty(set.Agents);
        var error = Assert.Single(Errors(set));
        Assert.Contains("missing the required field 'id'", error.Message);
    }

    [Fact]
    public void LoadYaml_SystemPromptNamesMarkdownFile_ReadsTheFileNextToTheYaml()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wfe-loader-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "prompt.md"), "Be brief, {{ name }}.");
            var yamlPath = Path.Combine(folder, "agents.yaml");
            File.WriteAllText(yamlPath, """
                agents:
                  - id: a
                    agent_type: openai
                    system_prompt: prompt.md
                  - id: b
                    agent_type: openai
                    system_prompt: missing.md
                """);

            var set = new DefinitionLoader(_ => null).LoadFile(yamlPath);

            Assert.Equal("Be brief, {{ name }}.", set.FindAgent("a")?.SystemPrompt?.Text);
            var error = Assert.Single(Errors(set));
            Assert.Contains("'missing.md' was not found", error.Message);
            Assert.Equal(7, error.Position.Line);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // ----- workflows -----

    [Fact]
    public void LoadYaml_WorkflowsUnderMainWorkflow_ReadsEachWorkflowInOrder()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: first
                  description: The first one
                  inputs: [user_input, user_query]
                  steps:
                    - id: a
                      agent: echo
                      input: ${user_input}
                - id: second
                  steps:
                    - id: b
                      agent: echo
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["first", "second"], set.Workflows.Select(w => w.Id));
        var first = set.FindWorkflow("first")!;
        Assert.Equal("The first one", first.Description);
        Assert.Equal(["a"], first.Steps.Select(s => s.Id));
        Assert.Equal("echo", first.Steps[0].Agent);
        Assert.Equal(StepKind.Agent, first.Steps[0].Kind);
        Assert.Equal("${user_input}", first.Steps[0].Input?.Text);
        AssertAt(first.Position, yaml, "id: first");
    }

    [Fact]
    public void LoadYaml_MainWorkflowNotAList_ReportsError()
    {
        const string yaml = """
            workflows:
              main_workflow:
                id: x
            """;

        var set = Load(yaml);

        Assert.Empty(set.Workflows);
        Assert.Contains(Errors(set), d => d.Message.Contains("`main_workflow` must be a list", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadYaml_WorkflowsAsDictKeyedById_UsesTheKeysAsIds()
    {
        const string yaml = """
            workflows:
              greet:
                steps:
                  - id: hello
                    agent: echo
              farewell:
                steps:
                  - id: bye
                    agent: echo
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["greet", "farewell"], set.Workflows.Select(w => w.Id));
        Assert.Equal("bye", set.FindWorkflow("farewell")?.Steps.Single().Id);
    }

    [Fact]
    public void LoadYaml_WorkflowsAsPlainList_ReadsEachWorkflow()
    {
        const string yaml = """
            workflows:
              - id: one
                steps:
                  - id: s1
                    agent: echo
              - id: two
                steps:
                  - id: s2
                    invoke_workflow: one
                    input: ${user_input}
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["one", "two"], set.Workflows.Select(w => w.Id));
        var s2 = set.FindWorkflow("two")!.Steps.Single();
        Assert.Equal(StepKind.Workflow, s2.Kind);
        Assert.Equal("one", s2.Workflow);
    }

    [Fact]
    public void LoadYaml_WorkflowWithoutSteps_ReportsMissingStepsAndEmptyStepsSeparately()
    {
        const string yaml = """
            workflows:
              - id: nothing
              - id: empty
                steps: []
            """;

        var set = Load(yaml);

        var errors = Errors(set).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, d => d.Message.Contains("'nothing' is missing the required field 'steps'", StringComparison.Ordinal));
        Assert.Contains(errors, d => d.Message.Contains("'empty' has no steps", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadYaml_StepFields_AreReadIntoTheStepDefinition()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: call
                    tool: filesystem
                    method: read_file
                    params:
                      path: ${user_input}
                      lines: 10
                    when: "${user_input} != ''"
                    for_each: ${steps.list.output}
                    as: file
                  - id: mcp
                    function: mcp_call
                    args:
                      mcp_url: local://filesystem
                      payload: { name: read_file, arguments: { path: x } }
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        var steps = set.Workflows.Single().Steps;
        var call = steps[0];
        Assert.Equal(StepKind.Tool, call.Kind);
        Assert.Equal("filesystem", call.Tool);
        Assert.Equal("read_file", call.Method?.Text);
        Assert.Equal(ValueKind.Mapping, call.Params?.Kind);
        Assert.Equal(10L, call.Params?["lines"]?.ToPlainValue());
        Assert.Equal("${user_input} != ''", call.When?.Text);
        Assert.Equal("${steps.list.output}", call.ForEach?.Text);
        Assert.Equal("file", call.ForEachVariable);
        var mcp = steps[1];
        Assert.Equal(StepKind.Function, mcp.Kind);
        Assert.Equal("mcp_call", mcp.Function);
        Assert.Equal("local://filesystem", mcp.Args?["mcp_url"]?.Text);
        Assert.Equal("item", mcp.ForEachVariable);
    }

    [Fact]
    public void LoadYaml_QuotedAndPlainScalars_KeepTheirYamlTypes()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    input:
                      quoted_bool: "true"
                      plain_bool: true
                      plain_int: 42
                      plain_real: 1.5
                      quoted_int: '42'
                      nothing: ~
                      empty:
                      list: [a, 2]
            """;

        var input = Load(yaml).Workflows.Single().Steps.Single().Input!;
        var plain = Assert.IsType<Dictionary<string, object?>>(input.ToPlainValue());

        Assert.Equal("true", plain["quoted_bool"]);
        Assert.Equal(true, plain["plain_bool"]);
        Assert.Equal(42L, plain["plain_int"]);
        Assert.Equal(1.5, plain["plain_real"]);
        Assert.Equal("42", plain["quoted_int"]);
        Assert.Null(plain["nothing"]);
        Assert.Null(plain["empty"]);
        Assert.Equal(new List<object?> { "a", 2L }, plain["list"]);
    }

    [Fact]
    public void LoadYaml_StepWithoutAction_ReportsThatItDoesNothing()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: idle
                    input: hi
            """;

        var set = Load(yaml);

        var error = Assert.Single(Errors(set));
        Assert.Contains("'idle' does nothing", error.Message);
        Assert.Equal(StepKind.None, set.Workflows.Single().Steps.Single().Kind);
        AssertAt(error.Position, yaml, "id: idle");
    }

    [Fact]
    public void LoadYaml_StepWithTwoActions_ReportsError()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: both
                    agent: echo
                    tool: filesystem
            """;

        var error = Assert.Single(Errors(Load(yaml)));
        Assert.Contains("agent and tool", error.Message);
    }

    [Fact]
    public void LoadYaml_StepWithWhenAndCondition_ReportsError()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    when: "true"
                    condition: "true"
            """;

        var error = Assert.Single(Errors(Load(yaml)));
        Assert.Contains("both `when` and `condition`", error.Message);
    }

    // ----- positions -----

    [Fact]
    public void LoadYaml_Steps_RecordOneBasedPositionsOfTheStepAndItsAgentField()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: first
                      agent: echo
                    - description: second step
                      id: second
                      agent:   classify
                    - id: third
                      tool: filesystem
                      method: read
            """;

        var steps = Load(yaml).Workflows.Single().Steps;

        AssertAt(steps[0].Position, yaml, "id: first");
        AssertAt(steps[0].ActionPosition, yaml, "agent: echo");
        AssertAt(steps[1].Position, yaml, "description: second step");
        AssertAt(steps[1].ActionPosition, yaml, "agent:   classify");
        AssertAt(steps[2].ActionPosition, yaml, "tool: filesystem");
        AssertAt(steps[2].Method!.Position, yaml, "read");

        // Spelled out once, so the helper cannot hide an off-by-one in both places.
        Assert.Equal(new SourcePosition(FileName, 5, 11), steps[0].Position);
        Assert.Equal(new SourcePosition(FileName, 6, 11), steps[0].ActionPosition);
    }

    [Fact]
    public void LoadYaml_BlockScalar_RecordsIndicatorPositionAndContentIndent()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    input: |
                      line one
                      line two
            """;

        var input = Load(yaml).Workflows.Single().Steps.Single().Input!;

        Assert.True(input.IsQuoted);
        Assert.Equal("line one\nline two", input.Text); // clip chomping, and the document ends without a newline
        AssertAt(input.Position, yaml, "|");
        Assert.Equal(Find(yaml, "line one").Column, input.BlockIndent);
    }

    // ----- errors and warnings -----

    [Fact]
    public void LoadYaml_YamlSyntaxError_BecomesAnErrorDiagnosticWithoutThrowing()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
               bad: [unclosed
            """;

        var set = Load(yaml);

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.StartsWith("YAML syntax error:", error.Message);
        Assert.Equal(FileName, error.Position.File);
        Assert.True(error.Position.Line >= 1, $"line {error.Position.Line}");
        Assert.Empty(set.Agents);
    }

    [Fact]
    public void LoadYaml_UnclosedFlowSequence_ReportsErrorOnTheRightLine()
    {
        const string yaml = "agents:\n  - id: a\n    agent_type: builtin\nworkflows: [\n";

        var set = Load(yaml);

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.InRange(error.Position.Line, 4, 5);
    }

    [Fact]
    public void LoadYaml_EmptyDocument_LoadsNothingAndReportsNothing()
    {
        var set = Load("");

        Assert.Empty(set.Agents);
        Assert.Empty(set.Workflows);
        Assert.Empty(set.Diagnostics);
    }

    [Fact]
    public void LoadYaml_RootIsAList_ReportsError()
    {
        var set = Load("- a\n- b\n");

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("Expected a mapping", error.Message);
    }

    [Fact]
    public void LoadYaml_UnknownFields_ProduceWarningsWithSuggestions()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
                modle: gpt-4
            workflows:
              - id: w
                descripton: typo
                steps:
                  - id: s
                    agent: a
                    inptu: hello
                    output:
                      to: user
                      collect: x
            tools:
              - id: t
                typ: filesystem
            extras: 1
            """;

        var set = Load(yaml);

        Assert.Empty(Errors(set));
        var warnings = Warnings(set).ToList();
        Assert.Equal(6, warnings.Count);
        Assert.Contains(warnings, d => d.Message.Contains("Unknown agent field 'modle'", StringComparison.Ordinal) && d.Message.Contains("Did you mean 'model'?", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("Unknown workflow field 'descripton'", StringComparison.Ordinal) && d.Message.Contains("Did you mean 'description'?", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("Unknown step field 'inptu'", StringComparison.Ordinal) && d.Message.Contains("Did you mean 'input'?", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("Unknown output field 'collect'", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("Unknown tool field 'typ'", StringComparison.Ordinal) && d.Message.Contains("Did you mean 'type'?", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("Unknown top-level field 'extras'", StringComparison.Ordinal));
        AssertAt(warnings.Single(d => d.Message.Contains("'inptu'", StringComparison.Ordinal)).Position, yaml, "inptu");
    }

    [Fact]
    public void LoadYaml_IgnoredLangSwarmAgentFields_ProduceWarnings()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: openai
                tools: [filesystem]
                memory: true
                timeout: 60
            """;

        var set = Load(yaml);

        Assert.Empty(Errors(set));
        var warnings = Warnings(set).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, d => d.Message.Contains("Agent field 'tools' is ignored", StringComparison.Ordinal) && d.Message.Contains("`tool:` step", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("'memory'", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("'timeout'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("output_key: result", "output_key")]
    [InlineData("rollback_to: first", "rollback_to")]
    [InlineData("fan_key: group", "fan-out")]
    [InlineData("fan_in_id: s", "fan-in")]
    [InlineData("async: true", "async")]
    [InlineData("loop: { for_each: x }", "for_each")]
    [InlineData("error_handling: { on_error: h }", "on_error")]
    public void LoadYaml_LangSwarmOnlyStepField_ProducesAnErrorAtTheField(string field, string hint)
    {
        var yaml = $"""
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    {field}
            """;

        var set = Load(yaml);

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("Step 's'", error.Message);
        Assert.Contains(hint, error.Message);
        AssertAt(error.Position, yaml, field.Split(':')[0] + ":");
    }

    [Fact]
    public void LoadYaml_WorkflowLevelErrorHandling_ProducesAnError()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                error_handling:
                  - id: handle
                    agent: echo
            """;

        var error = Assert.Single(Load(yaml).Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("Workflow 'w'", error.Message);
        Assert.Contains("on_error", error.Message);
    }

    // ----- retry and timeout -----

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    public void LoadYaml_Timeout_ParsesDurations(string text, int milliseconds)
    {
        var yaml = $"""
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    timeout: {text}
                    retry: 3
            """;

        var set = Load(yaml);

        Assert.Empty(set.Diagnostics);
        var step = set.Workflows.Single().Steps.Single();
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), step.Timeout);
        Assert.Equal(3, step.Retry);
    }

    [Fact]
    public void LoadYaml_NoRetryOrTimeout_DefaultsToZeroAndNone()
    {
        var step = Load("""
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
            """).Workflows.Single().Steps.Single();

        Assert.Equal(0, step.Retry);
        Assert.Null(step.Timeout);
        Assert.Null(step.Routes);
        Assert.Null(step.OnError);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-5s")]
    [InlineData("10x")]
    public void LoadYaml_InvalidTimeout_ReportsErrorAtTheValue(string text)
    {
        var yaml = $"""
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    timeout: {text}
            """;

        var set = Load(yaml);

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("`timeout` of step 's'", error.Message);
        var (line, column) = Find(yaml, "timeout: " + text);
        Assert.Equal((line, column + "timeout: ".Length), (error.Position.Line, error.Position.Column));
        Assert.Null(set.Workflows.Single().Steps.Single().Timeout);
    }

    [Theory]
    [InlineData("many")]
    [InlineData("-1")]
    [InlineData("101")]
    [InlineData("2.5")]
    public void LoadYaml_InvalidRetry_ReportsErrorAndUsesZero(string text)
    {
        var yaml = $"""
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    retry: {text}
            """;

        var set = Load(yaml);

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("`retry` of step 's'", error.Message);
        Assert.Equal(Find(yaml, "retry: ").Line, error.Position.Line);
        Assert.Equal(0, set.Workflows.Single().Steps.Single().Retry);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("100", 100)]
    public void LoadYaml_RetryBounds_AreAccepted(string text, int expected)
    {
        var set = Load($"""
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    retry: {text}
            """);

        Assert.Empty(set.Diagnostics);
        Assert.Equal(expected, set.Workflows.Single().Steps.Single().Retry);
    }

    // ----- routes -----

    private const string RouteYaml = """
        workflows:
          - id: w
            steps:
              - id: single
                agent: echo
                output:
                  to: listed
              - id: listed
                agent: echo
                output:
                  to:
                    - a
                    - step: b
                    - user
              - id: iffy
                agent: echo
                output:
                  to:
                    - condition:
                        if: "${steps.iffy.output.ok} == true"
                        then: a
                        else: user
              - id: switchy
                agent: echo
                output:
                  to:
                    - condition:
                        switch: ${steps.iffy.output.kind}
                        cases:
                          create: a
                          delete: b
                          other: user
                        default: c
              - id: existy
                agent: echo
                output:
                  to:
                    - condition:
                        exists: steps.iffy.output.url
                        then:
                          condition:
                            if: "${steps.iffy.output.ok}"
                            then: a
                        else: b
                on_error: c
              - id: bare
                agent: echo
                output:
                  to:
                    if: "True"
                    then: user
              - id: a
                agent: echo
              - id: b
                agent: echo
              - id: c
                agent: echo
        """;

    private static StepDefinition RouteStep(string id) =>
        Load(RouteYaml).Workflows.Single().FindStep(id) ?? throw new InvalidOperationException(id);

    [Fact]
    public void LoadYaml_RouteYaml_LoadsWithoutDiagnostics()
    {
        Assert.Empty(Load(RouteYaml).Diagnostics);
    }

    [Fact]
    public void LoadYaml_RouteToSingleStepId_GivesOneStepRouteAtItsPosition()
    {
        var route = Assert.IsType<StepRoute>(Assert.Single(RouteStep("single").Routes!));

        Assert.Equal("listed", route.StepId);
        AssertAt(route.Position, RouteYaml, "listed");
    }

    [Fact]
    public void LoadYaml_RouteList_KeepsOrderAndKinds()
    {
        var routes = RouteStep("listed").Routes!;

        Assert.Equal(3, routes.Count);
        Assert.Equal("a", Assert.IsType<StepRoute>(routes[0]).StepId);
        Assert.Equal("b", Assert.IsType<StepRoute>(routes[1]).StepId);
        Assert.IsType<UserRoute>(routes[2]);
    }

    [Fact]
    public void LoadYaml_IfCondition_GivesIfRouteWithThenAndElse()
    {
        var route = Assert.IsType<IfRoute>(Assert.Single(RouteStep("iffy").Routes!));

        Assert.Equal("${steps.iffy.output.ok} == true", route.Condition.Text);
        Assert.True(route.Condition.IsQuoted);
        Assert.Equal("a", Assert.IsType<StepRoute>(route.Then).StepId);
        Assert.IsType<UserRoute>(route.Else);
        AssertAt(route.Position, RouteYaml, "if: \"${steps.iffy");
    }

    [Fact]
    public void LoadYaml_SwitchCondition_GivesCasesInOrderAndDefault()
    {
        var route = Assert.IsType<SwitchRoute>(Assert.Single(RouteStep("switchy").Routes!));

        Assert.Equal("${steps.iffy.output.kind}", route.Value.Text);
        Assert.Equal(["create", "delete", "other"], route.Cases.Select(c => c.Key));
        Assert.Equal("a", Assert.IsType<StepRoute>(route.Cases[0].Value).StepId);
        Assert.Equal("b", Assert.IsType<StepRoute>(route.Cases[1].Value).StepId);
        Assert.IsType<UserRoute>(route.Cases[2].Value);
        Assert.Equal("c", Assert.IsType<StepRoute>(route.Default).StepId);
    }

    [Fact]
    public void LoadYaml_ExistsCondition_GivesExistsRouteWithNestedIfAndOnError()
    {
        var step = RouteStep("existy");
        var route = Assert.IsType<ExistsRoute>(Assert.Single(step.Routes!));

        Assert.Equal("steps.iffy.output.url", route.Path.Text);
        var nested = Assert.IsType<IfRoute>(route.Then);
        Assert.Equal("a", Assert.IsType<StepRoute>(nested.Then).StepId);
        Assert.Null(nested.Else);
        Assert.Equal("b", Assert.IsType<StepRoute>(route.Else).StepId);
        Assert.Equal("c", Assert.IsType<StepRoute>(step.OnError).StepId);
    }

    [Fact]
    public void LoadYaml_ConditionWithoutConditionKey_IsAcceptedAsIfRoute()
    {
        var route = Assert.IsType<IfRoute>(Assert.Single(RouteStep("bare").Routes!));

        Assert.Equal("True", route.Condition.Text);
        Assert.IsType<UserRoute>(route.Then);
    }

    [Theory]
    [InlineData("{ condition: { if: \"x\" } }", "needs `then:`")]
    [InlineData("{ condition: { exists: x } }", "needs `then:`")]
    [InlineData("{ condition: { switch: x } }", "needs `cases:`")]
    [InlineData("{ condition: { when: x } }", "one of `if`, `switch` or `exists`")]
    [InlineData("[ [a] ]", "A route target must be")]
    public void LoadYaml_MalformedRoute_ReportsError(string target, string expected)
    {
        var yaml = $"""
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    output:
                      to: {target}
            """;

        var set = Load(yaml);

        var error = Assert.Single(Errors(set));
        Assert.Contains(expected, error.Message);
        Assert.Equal(Find(yaml, "to: ").Line, error.Position.Line);
    }

    [Fact]
    public void LoadYaml_OutputNotAMapping_ReportsError()
    {
        const string yaml = """
            workflows:
              - id: w
                steps:
                  - id: s
                    agent: echo
                    output: user
            """;

        var error = Assert.Single(Errors(Load(yaml)));
        Assert.Contains("`output` of step 's' must be a mapping", error.Message);
    }

    // ----- tools -----

    [Fact]
    public void LoadYaml_ToolsList_ReadsFieldsAndExpandsEnvironmentReferences()
    {
        const string yaml = """
            tools:
              - id: daytona
                type: daytona_environment
                description: Sandboxes
                permission: authenticated
                config:
                  api_key: ${DAYTONA_API_KEY}
                  api_url: ${DAYTONA_API_URL:-https://app.daytona.io}
                  region: ${REGION:-eu}
                  legacy: env:LEGACY_TOKEN
                  mixed: "https://${HOST}:${PORT:-8080}/api"
                  retries: 3
                  enabled: true
                  nested:
                    headers:
                      - "Bearer ${DAYTONA_API_KEY}"
            """;
        var environment = new Dictionary<string, string>
        {
            ["DAYTONA_API_KEY"] = "secret-123",
            ["REGION"] = "us",
            ["LEGACY_TOKEN"] = "legacy-456",
            ["HOST"] = "example.org",
        };
        var asked = new List<string>();

        var set = Load(yaml, name =>
        {
            asked.Add(name);
            return environment.GetValueOrDefault(name);
        });

        Assert.Empty(set.Diagnostics);
        var tool = Assert.Single(set.Tools);
        Assert.Equal("daytona", tool.Id);
        Assert.Equal("daytona_environment", tool.Type);
        Assert.Equal("daytona_environment", tool.ImplementationName);
        Assert.Equal("Sandboxes", tool.Description);
        Assert.Equal("authenticated", tool.Permission);
        Assert.Equal("secret-123", tool.Config["api_key"]);
        Assert.Equal("https://app.daytona.io", tool.Config["api_url"]);
        Assert.Equal("us", tool.Config["region"]);
        Assert.Equal("legacy-456", tool.Config["legacy"]);
        Assert.Equal("https://example.org:8080/api", tool.Config["mixed"]);
        Assert.Equal(3L, tool.Config["retries"]);
        Assert.Equal(true, tool.Config["enabled"]);
        var nested = Assert.IsType<Dictionary<string, object?>>(tool.Config["nested"]);
        Assert.Equal(new List<object?> { "Bearer secret-123" }, nested["headers"]);
        Assert.Contains("DAYTONA_API_URL", asked);
        Assert.Contains("PORT", asked);
        AssertAt(tool.Position, yaml, "id: daytona");
    }

    [Fact]
    public void LoadYaml_ToolConfigWithUnsetVariableAndNoDefault_WarnsAndUsesEmptyText()
    {
        const string yaml = """
            tools:
              - id: t
                config:
                  token: ${NOT_SET}
            """;

        var set = Load(yaml, _ => null);

        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("'NOT_SET' is not set", warning.Message);
        AssertAt(warning.Position, yaml, "${NOT_SET}");
        Assert.Equal("", set.Tools.Single().Config["token"]);
    }

    [Fact]
    public void LoadYaml_ToolConfigWithEmptyDefault_DoesNotWarn()
    {
        var set = Load("""
            tools:
              - id: t
                config:
                  token: ${NOT_SET:-}
            """, _ => null);

        Assert.Empty(set.Diagnostics);
        Assert.Equal("", set.Tools.Single().Config["token"]);
    }

    [Fact]
    public void LoadYaml_ToolsAsDictKeyedById_UsesKeysAndDefaultsTypeToId()
    {
        var set = Load("""
            tools:
              filesystem:
                permission: anonymous
            """);

        Assert.Empty(set.Diagnostics);
        var tool = Assert.Single(set.Tools);
        Assert.Equal("filesystem", tool.Id);
        Assert.Null(tool.Type);
        Assert.Equal("filesystem", tool.ImplementationName);
        Assert.Empty(tool.Config);
    }

    [Fact]
    public void LoadYaml_ToolWithBadPermissionOrConfig_ReportsErrors()
    {
        const string yaml = """
            tools:
              - id: t
                permission: admin
                config: [a, b]
            """;

        var errors = Errors(Load(yaml)).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, d => d.Message.Contains("permission 'admin'", StringComparison.Ordinal) && d.Position.Line == 3);
        Assert.Contains(errors, d => d.Message.Contains("`config` of tool 't' must be a mapping", StringComparison.Ordinal) && d.Position.Line == 4);
    }

    // ----- files and folders -----

    [Fact]
    public void LoadPaths_FilesAndFolders_MergesEverythingInNameOrder()
    {
        var root = Path.Combine(Path.GetTempPath(), "wfe-loader-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, "defs");
        Directory.CreateDirectory(Path.Combine(folder, "nested"));
        try
        {
            File.WriteAllText(Path.Combine(folder, "b_workflows.yaml"), """
                workflows:
                  main_workflow:
                    - id: flow
                      steps:
                        - id: s
                          agent: first
                """);
            File.WriteAllText(Path.Combine(folder, "a_agents.yml"), """
                agents:
                  - id: first
                    agent_type: builtin
                """);
            File.WriteAllText(Path.Combine(folder, "nested", "c_tools.yaml"), """
                tools:
                  - id: fs
                    type: filesystem
                """);
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "agents: [ this is not yaml");
            var extra = Path.Combine(root, "extra.yaml");
            File.WriteAllText(extra, """
                agents:
                  second:
                    agent_type: openai
                    modle: typo
                """);

            var set = new DefinitionLoader(_ => null).LoadPaths([folder, extra]);

            Assert.Equal(["first", "second"], set.Agents.Select(a => a.Id));
            Assert.Equal("flow", set.Workflows.Single().Id);
            Assert.Equal("fs", set.Tools.Single().Id);
            var warning = Assert.Single(set.Diagnostics);
            Assert.Equal(extra, warning.Position.File);
            Assert.Equal(4, warning.Position.Line);
            Assert.Equal(Path.Combine(folder, "b_workflows.yaml"), set.Workflows.Single().Position.File);
            Assert.Equal(Path.Combine(folder, "a_agents.yml"), set.Agents[0].Position.File);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void LoadPaths_MissingPath_ReportsErrorAndKeepsLoadingTheOthers()
    {
        var file = Path.Combine(Path.GetTempPath(), "wfe-loader-" + Guid.NewGuid().ToString("N") + ".yaml");
        var missing = Path.Combine(Path.GetTempPath(), "wfe-missing-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "agents:\n  - id: a\n    agent_type: builtin\n");
        try
        {
            var set = new DefinitionLoader(_ => null).LoadPaths([missing, file]);

            Assert.Equal("a", set.Agents.Single().Id);
            var error = Assert.Single(set.Diagnostics);
            Assert.Equal(DiagnosticSeverity.Error, error.Severity);
            Assert.Contains("No such file or folder", error.Message);
            Assert.Equal(missing, error.Position.File);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Merge_TwoSets_KeepsDuplicatesAndOrder()
    {
        var first = Load("agents:\n  - id: a\n    agent_type: builtin\n");
        var second = Load("agents:\n  - id: a\n    agent_type: openai\n  - id: b\n    agent_type: builtin\n");

        var merged = first.Merge(second);

        Assert.Equal(["a", "a", "b"], merged.Agents.Select(a => a.Id));
        Assert.Equal("builtin", merged.FindAgent("a")?.AgentType);
    }
}
