using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Definitions;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;
using WorkflowEngine.Tests.Support;
using WorkflowEngine.Tools;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Tests.Validation;

public class DefinitionValidatorTests
{
    private const string FileName = "defs.yaml";

    private static readonly ToolDescriptor FileSystem = new()
    {
        Name = "filesystem",
        Methods = new Dictionary<string, ToolMethodDescriptor>
        {
            ["read_file"] = new() { Name = "read_file", RequestType = typeof(object) },
            ["write_file"] = new() { Name = "write_file", RequestType = typeof(object) },
        },
    };

    private static IReadOnlyList<Diagnostic> Validate(string yaml, params ToolDescriptor[] tools) =>
        new DefinitionValidator(new TemplateRenderer())
            .Validate(new DefinitionLoader(_ => null).LoadYaml(yaml, FileName), new ToolCatalog(tools));

    private static List<Diagnostic> Errors(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    private static List<Diagnostic> Warnings(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();

    private static Diagnostic Single(IEnumerable<Diagnostic> diagnostics, string fragment)
    {
        var matches = diagnostics.Where(d => d.Message.Contains(fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one diagnostic containing \"{fragment}\", found {matches.Count}:\n{string.Join("\n", diagnostics)}");
        return matches[0];
    }

    /// <summary>The 1-based line and column where <paramref name="needle"/> first occurs in <paramref name="text"/>.</summary>
    private static (int Line, int Column) Find(string text, string needle)
    {
        var index = text.IndexOf(needle, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{needle}' not found");
        var line = 1 + text[..index].Count(c => c == '\n');
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (line, index - lineStart + 1);
    }

    private static void AssertAt(Diagnostic diagnostic, string text, string needle, int columnOffset = 0)
    {
        var (line, column) = Find(text, needle);
        Assert.Equal(FileName, diagnostic.Position.File);
        Assert.True((line, column + columnOffset) == (diagnostic.Position.Line, diagnostic.Position.Column),
            $"Expected {line}:{column + columnOffset} for '{needle}', got {diagnostic}");
    }

    [Fact]
    public void Validate_CorrectDefinitions_ReportsNothing()
    {
        const string yaml = """
            agents:
              - id: classifier
                agent_type: builtin
                system_prompt: "Classify {{ user_input }}"
            tools:
              - id: fs
                type: filesystem
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: classify
                      agent: classifier
                      input: ${user_input}
                      output:
                        to:
                          - condition:
                              if: "${context.step_outputs.classify.kind} == 'read'"
                              then: read
                              else: done
                    - id: read
                      tool: fs
                      method: read_file
                      params: { path: "${steps.classify.output.path}" }
                      output: { to: done }
                    - id: done
                      agent: classifier
                      input: "Result: ${steps.read.output}"
                      output: { to: user }
                - id: caller
                  steps:
                    - id: call
                      workflow: flow
                      input: ${user_input}
            """;

        Assert.Empty(Validate(yaml, FileSystem));
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneInASinglePass()
    {
        const string yaml = """
            agents:
              - id: writer
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: draft
                    agent: writter
                    input: "${steps.ghost.output}"
                    output: { to: reviw }
                  - id: review
                    tool: fs_tool
                    method: read
                  - id: nested
                    workflow: sub_flow
                  - id: draft
                    agent: writer
                    input: |
                      {{ 1 + }}
            """;

        var diagnostics = Validate(yaml, FileSystem);

        var errors = Errors(diagnostics);
        AssertAt(Single(errors, "uses agent 'writter'"), yaml, "agent: writter");
        AssertAt(Single(errors, "refers to step 'ghost'"), yaml, "steps.ghost");
        AssertAt(Single(errors, "routes to 'reviw'"), yaml, "reviw");
        AssertAt(Single(errors, "uses tool 'fs_tool'"), yaml, "tool: fs_tool");
        AssertAt(Single(errors, "runs workflow 'sub_flow'"), yaml, "workflow: sub_flow");
        var duplicate = Single(errors, "Duplicate step in workflow 'flow' id 'draft'");
        Assert.Equal(Find(yaml, "agent: writer\n").Line - 1, duplicate.Position.Line);
        Assert.Contains($"the first is at {FileName}:{Find(yaml, "id: draft").Line}:{Find(yaml, "id: draft").Column}", duplicate.Message);
        // The whole value is one {{ expression }}, so the error points at its start.
        AssertAt(Single(errors, "Template syntax error"), yaml, "{{ 1 + }}");
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void Validate_Diagnostics_AreSortedByFileLineAndColumn()
    {
        const string yaml = """
            workflows:
              - id: flow
                steps:
                  - id: a
                    agent: missing_one
                    output: { to: nowhere }
                  - id: b
                    agent: missing_two
            agents:
              - id: x
            """;

        var diagnostics = Validate(yaml);

        Assert.True(diagnostics.Count >= 4, string.Join("\n", diagnostics));
        var positions = diagnostics.Select(d => (d.Position.Line, d.Position.Column)).ToList();
        Assert.Equal(positions.OrderBy(p => p.Line).ThenBy(p => p.Column), positions);
    }

    [Fact]
    public void Validate_LoaderDiagnostics_AreIncluded()
    {
        const string yaml = """
            agents:
              - id: helper
                model: gpt-4
                colour: blue
            """;

        var diagnostics = Validate(yaml);

        AssertAt(Single(Errors(diagnostics), "missing the required field 'agent_type'"), yaml, "id: helper");
        AssertAt(Single(Warnings(diagnostics), "Unknown agent field 'colour'"), yaml, "colour");
    }

    // ----- duplicates -----

    [Fact]
    public void Validate_DuplicateIds_ReportsEachLaterDuplicateWithTheFirstPosition()
    {
        const string yaml = """
            agents:
              - id: twin
                agent_type: builtin
              - id: twin
                agent_type: openai
              - id: twin
                agent_type: builtin
            tools:
              - id: fs
                type: filesystem
              - id: fs
                type: filesystem
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: twin
              - id: flow
                steps:
                  - id: s
                    agent: twin
            """;

        var errors = Errors(Validate(yaml, FileSystem));

        var agentDuplicates = errors.Where(d => d.Message.StartsWith("Duplicate agent id 'twin'", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, agentDuplicates.Count);
        Assert.All(agentDuplicates, d => Assert.Contains($"the first is at {FileName}:2:5", d.Message));
        Assert.Equal([4, 6], agentDuplicates.Select(d => d.Position.Line));
        Assert.Contains($"the first is at {FileName}:9:5", Single(errors, "Duplicate tool id 'fs'").Message);
        var workflow = Single(errors, "Duplicate workflow id 'flow'");
        Assert.Equal(18, workflow.Position.Line);
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Validate_DuplicateStepIds_ReportsTheSecondStep()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: same
                    agent: a
                    output: { to: same }
                  - id: same
                    agent: a
            """;

        var error = Single(Errors(Validate(yaml)), "Duplicate step in workflow 'flow' id 'same'");

        Assert.Equal(10, error.Position.Line);
        Assert.Contains($"the first is at {FileName}:7:9", error.Message);
    }

    [Fact]
    public void Validate_SameStepIdInDifferentWorkflows_IsAllowed()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: one
                steps:
                  - id: s
                    agent: a
              - id: two
                steps:
                  - id: s
                    agent: a
            """;

        Assert.Empty(Validate(yaml));
    }

    // ----- unknown references -----

    [Fact]
    public void Validate_UnknownAgent_ReportsErrorAtAgentFieldWithSuggestion()
    {
        const string yaml = """
            agents:
              - id: classifier
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    input: hi
                    agent: clasifier
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("Step 's' uses agent 'clasifier', which is not defined.", error.Message);
        Assert.Contains("Did you mean 'classifier'?", error.Message);
        AssertAt(error, yaml, "agent: clasifier");
    }

    [Fact]
    public void Validate_UnknownAgentUnlikeAnyOther_HasNoSuggestion()
    {
        const string yaml = """
            agents:
              - id: classifier
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: zebra
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.Contains("'zebra'", error.Message);
        Assert.DoesNotContain("Did you mean", error.Message);
    }

    [Fact]
    public void Validate_RouteToUnknownStep_ReportsEveryBadTargetWithSuggestion()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: start
                    agent: a
                    output:
                      to:
                        - condition:
                            if: "True"
                            then: finsh
                            else:
                              condition:
                                switch: ${steps.start.output}
                                cases: { x: finish, y: nowhere_at_all }
                                default: strat
                    on_error: finishh
                  - id: finish
                    agent: a
            """;

        var errors = Errors(Validate(yaml));

        Assert.Contains("Did you mean 'finish'?", Single(errors, "routes to 'finsh'").Message);
        Assert.Contains("Did you mean 'start'?", Single(errors, "routes to 'strat'").Message);
        Assert.Contains("Did you mean 'finish'?", Single(errors, "routes to 'finishh'").Message);
        Assert.DoesNotContain("Did you mean", Single(errors, "routes to 'nowhere_at_all'").Message);
        AssertAt(Single(errors, "routes to 'finsh'"), yaml, "finsh");
        AssertAt(Single(errors, "routes to 'finishh'"), yaml, "finishh");
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Validate_UnknownWorkflow_ReportsErrorWithSuggestion()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: child_flow
                steps:
                  - id: s
                    agent: a
              - id: parent
                steps:
                  - id: call
                    invoke_workflow: chld_flow
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.Contains("runs workflow 'chld_flow', which is not defined.", error.Message);
        Assert.Contains("Did you mean 'child_flow'?", error.Message);
        AssertAt(error, yaml, "invoke_workflow: chld_flow");
    }

    [Fact]
    public void Validate_UnknownTool_ReportsKnownToolsAndSuggestion()
    {
        const string yaml = """
            workflows:
              - id: flow
                steps:
                  - id: read
                    tool: filesytem
                    method: read_file
            """;

        var error = Assert.Single(Validate(yaml, FileSystem));

        Assert.Contains("uses tool 'filesytem', which is not registered (known: filesystem).", error.Message);
        Assert.Contains("Did you mean 'filesystem'?", error.Message);
        AssertAt(error, yaml, "tool: filesytem");
    }

    [Fact]
    public void Validate_ToolWithUnknownMethod_ReportsMethodsAndSuggestion()
    {
        const string yaml = """
            workflows:
              - id: flow
                steps:
                  - id: read
                    tool: filesystem
                    method: read_fil
                  - id: dynamic
                    tool: filesystem
                    method: ${user_input}
            """;

        var error = Assert.Single(Validate(yaml, FileSystem));

        Assert.Contains("Tool 'filesystem' has no method 'read_fil'.", error.Message);
        Assert.Contains("Did you mean 'read_file'?", error.Message);
        Assert.Contains("Methods: read_file, write_file.", error.Message);
        AssertAt(error, yaml, "read_fil\n");
    }

    [Fact]
    public void Validate_ToolsYamlTypeNotRegistered_ReportsErrorAtTheTool()
    {
        const string yaml = """
            tools:
              - id: files
                type: filesystm
            workflows:
              - id: flow
                steps:
                  - id: read
                    tool: files
                    method: read_file
            """;

        var errors = Errors(Validate(yaml, FileSystem));

        var error = Single(errors, "Tool 'files' has type 'filesystm', which is not registered");
        Assert.Contains("Did you mean 'filesystem'?", error.Message);
        AssertAt(error, yaml, "id: files");
        Single(errors, "uses tool 'files'");
    }

    [Fact]
    public void Validate_ToolConfiguredUnderAnotherId_ResolvesThroughItsType()
    {
        const string yaml = """
            tools:
              - id: files
                type: filesystem
            workflows:
              - id: flow
                steps:
                  - id: read
                    tool: files
                    method: write_file
            """;

        Assert.Empty(Validate(yaml, FileSystem));
    }

    // ----- missing required fields -----

    [Fact]
    public void Validate_ToolStepWithoutMethodOrInput_ReportsMissingMethod()
    {
        const string yaml = """
            workflows:
              - id: flow
                steps:
                  - id: read
                    tool: filesystem
                  - id: with_input
                    tool: filesystem
                    input: { method: read_file, params: { path: x } }
            """;

        var error = Assert.Single(Validate(yaml, FileSystem));

        Assert.Contains("Tool step 'read' needs `method:`", error.Message);
        AssertAt(error, yaml, "id: read");
    }

    [Fact]
    public void Validate_FunctionSteps_ReportMissingArgsPayloadAndBadUrls()
    {
        const string yaml = """
            workflows:
              - id: flow
                steps:
                  - id: no_args
                    function: mcp_call
                  - id: no_payload
                    function: langswarm.core.utils.workflows.functions.mcp_call
                    args:
                      mcp_url: local://filesystem
                  - id: remote
                    function: mcp_call
                    args:
                      mcp_url: https://example.org/mcp
                      payload: {}
                  - id: unknown_tool
                    function: mcp_call
                    args:
                      mcp_url: local://filesystm/
                      payload: { name: read_file }
                  - id: other_function
                    function: os.system
                    args: { cmd: ls }
                  - id: fine
                    function: mcp_call
                    args:
                      mcp_url: local://filesystem
                      payload: ${steps.no_args.output}
            """;

        var errors = Errors(Validate(yaml, FileSystem));

        AssertAt(Single(errors, "Step 'no_args' needs `args: {mcp_url"), yaml, "id: no_args");
        AssertAt(Single(errors, "Step 'no_payload' is missing the required field 'payload'"), yaml, "mcp_url: local://filesystem");
        AssertAt(Single(errors, "mcp_url 'https://example.org/mcp' is not supported"), yaml, "https://example.org/mcp");
        Assert.Contains("Did you mean 'filesystem'?", Single(errors, "uses tool 'filesystm'").Message);
        AssertAt(Single(errors, "calls function 'os.system'"), yaml, "function: os.system");
        Assert.Equal(5, errors.Count);
    }

    // ----- reachability -----

    [Fact]
    public void Validate_StepThatNoRouteReaches_IsReportedAsUnreachableWarning()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: start
                    agent: a
                    output:
                      to:
                        - condition:
                            if: "True"
                            then: yes_branch
                            else: user
                  - id: orphan
                    agent: a
                  - id: yes_branch
                    agent: a
                    output: { to: user }
                  - id: after_user
                    agent: a
                  - id: guarded
                    agent: a
                    when: "False"
                    output: { to: user }
                  - id: tail
                    agent: a
            """;

        var diagnostics = Validate(yaml);

        Assert.Empty(Errors(diagnostics));
        var warnings = Warnings(diagnostics);
        AssertAt(Single(warnings, "Step 'orphan' is unreachable"), yaml, "id: orphan");
        Single(warnings, "Step 'after_user' is unreachable");
        Single(warnings, "Step 'guarded' is unreachable");
        Single(warnings, "Step 'tail' is unreachable");
        Assert.Equal(4, warnings.Count);
    }

    [Fact]
    public void Validate_StepAfterConditionalStep_IsReachable()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: start
                    agent: a
                    output: { to: maybe }
                  - id: maybe
                    agent: a
                    when: "${steps.start.output} == 'go'"
                    output: { to: user }
                  - id: next
                    agent: a
                    on_error: recover
                  - id: recover
                    agent: a
                    output: { to: user }
            """;

        Assert.Empty(Validate(yaml));
    }

    // ----- templates -----

    [Fact]
    public void Validate_TemplateSyntaxErrorInBlockScalar_PointsAtTheYamlLineAndColumn()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: a
                    input: |
                      First line is fine.
                      Broken {{ 1 + }} here
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.StartsWith("Template syntax error:", error.Message);
        // Scriban reports the token after the dangling operator: the closing braces.
        AssertAt(error, yaml, "}} here");
    }

    [Fact]
    public void Validate_TemplateSyntaxErrorAfterPlaceholdersOnTheSameLine_StillPointsAtTheError()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: a
                    input: |
                      Intro
                        Name ${context.user_input}, ${x} then {{ 1 + }} here
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.StartsWith("Template syntax error:", error.Message);
        AssertAt(error, yaml, "}} here");
    }

    [Fact]
    public void Validate_TemplateSyntaxErrorInQuotedScalar_PointsInsideTheQuotes()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: a
                    input: "ab {{ 1 + }}"
            """;

        var error = Assert.Single(Validate(yaml));

        AssertAt(error, yaml, "}}\"");
    }

    [Fact]
    public void Validate_UnterminatedTemplate_PointsAtTheEndOfTheText()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: a
                    input: |
                      line one
                      line {{ 1 +
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.StartsWith("Template syntax error:", error.Message);
        Assert.Equal(Find(yaml, "line {{").Line, error.Position.Line);
        Assert.Equal(Find(yaml, "line {{").Column + "line {{ 1 +".Length, error.Position.Column);
    }

    [Fact]
    public void Validate_ConditionSyntaxError_IsReportedOnceAtTheCondition()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: a
                    output:
                      to:
                        - condition:
                            if: "${steps.s.output} == (("
                            then: user
            """;

        var errors = Errors(Validate(yaml));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("Template syntax error:", e.Message));
        Assert.All(errors, e => AssertAt(e, yaml, "${steps.s.output} == (("));
        Assert.Equal(errors.Count, errors.Distinct().Count());
    }

    [Fact]
    public void Validate_SystemPromptSyntaxError_IsReported()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: openai
                system_prompt: |
                  You are {{ for }}.
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.StartsWith("Template syntax error:", error.Message);
        Assert.Equal(Find(yaml, "You are").Line, error.Position.Line);
    }

    [Fact]
    public void Validate_TemplateReferencesToMissingSteps_AreReportedAtTheReference()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: classify
                    agent: a
                    input: |
                      Known: ${context.step_outputs.classify}
                      Missing: ${context.step_outputs.nope}
                  - id: second
                    agent: a
                    input: "Also {{ steps.nope.output }} and ${steps.clasify.output.type}"
                    when: "${steps.gone.output} == 'x'"
            """;

        var errors = Errors(Validate(yaml));

        var outputs = errors.Where(e => e.Message.Contains("refers to step 'nope'", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, outputs.Count);
        AssertAt(outputs[0], yaml, "step_outputs.nope");
        AssertAt(outputs[1], yaml, "steps.nope.output");
        var typo = Single(errors, "refers to step 'clasify'");
        Assert.Contains("Did you mean 'classify'?", typo.Message);
        AssertAt(typo, yaml, "steps.clasify");
        AssertAt(Single(errors, "refers to step 'gone'"), yaml, "steps.gone");
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Validate_StepsWordInPlainText_IsNotTakenAsAReference()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: first
                    agent: a
                    input: |
                      Read docs/steps.md and the build steps.txt, then ${steps.first.output}.
                      Unclosed ${steps.literal stays text.
                  - id: second
                    agent: a
                    input: "See steps.md: {{ steps.first.output }} ${steps.missing.output}"
                    when: "steps.first.output != null"
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.Contains("refers to step 'missing'", error.Message);
        AssertAt(error, yaml, "steps.missing");
    }

    [Fact]
    public void Validate_TemplateReferenceToStepOfAnotherWorkflow_IsReported()
    {
        const string yaml = """
            agents:
              - id: a
                agent_type: builtin
            workflows:
              - id: one
                steps:
                  - id: only_in_one
                    agent: a
              - id: two
                steps:
                  - id: s
                    agent: a
                    input: ${steps.only_in_one.output}
            """;

        var error = Assert.Single(Validate(yaml));

        Assert.Contains("refers to step 'only_in_one', which is not a step of this workflow.", error.Message);
    }

    // ----- through the engine -----

    [Fact]
    public void Catalog_FromTestEngine_ValidatesTheLoadedDefinitions()
    {
        const string yaml = """
            agents:
              - id: classify
                agent_type: builtin
            workflows:
              - id: flow
                steps:
                  - id: s
                    agent: clasify
                    output: { to: user }
            """;

        using var provider = TestEngine.Build(yaml);
        var catalog = provider.GetRequiredService<IDefinitionCatalog>();

        Assert.Equal("flow", catalog.Definitions.Workflows.Single().Id);
        var error = Assert.Single(catalog.Diagnostics);
        Assert.Equal(new SourcePosition("test.yaml", 8, 9), error.Position);
        Assert.Contains("Did you mean 'classify'?", error.Message);
        Assert.StartsWith("test.yaml:8:9: error: Step 's' uses agent 'clasify'", error.ToString());
    }

    // ----- the original LangSwarm files -----

    [SharedFact]
    public void Validate_LangSwarmReferenceFiles_ReportsTheSixUndefinedAgentsAtTheirAgentFields()
    {
        var folder = SharedPaths.LangSwarmReference!;
        var agentsPath = Path.Combine(folder, "agents.yaml");
        var workflowsPath = Path.Combine(folder, "workflows.yaml");
        var workflowsText = File.ReadAllText(workflowsPath);
        var daytona = new ToolDescriptor
        {
            Name = "daytona_environment",
            Methods = new Dictionary<string, ToolMethodDescriptor>(),
        };

        var set = new DefinitionLoader(_ => null).LoadPaths([agentsPath, workflowsPath]);
        var diagnostics = new DefinitionValidator(new TemplateRenderer()).Validate(set, new ToolCatalog([daytona]));

        Assert.Equal(11, set.Agents.Count);
        Assert.Equal("use_daytona_environment_tool", set.Workflows.Single().Id);
        string[] missing =
        [
            "environment_analyzer", "requirements_validator", "clarification_agent",
            "daytona_request_builder", "daytona_response_formatter", "daytona_error_handler",
        ];
        var agentErrors = Errors(diagnostics).Where(d => d.Message.Contains("uses agent", StringComparison.Ordinal)).ToList();
        Assert.Equal(missing.Length, agentErrors.Count);
        foreach (var agent in missing)
        {
            var error = Single(agentErrors, $"uses agent '{agent}', which is not defined.");
            var (line, column) = Find(workflowsText.Replace("\r\n", "\n", StringComparison.Ordinal), $"agent: {agent}\n");
            Assert.Equal(new SourcePosition(workflowsPath, line, column), error.Position);
        }

        Assert.Equal(missing.Length, Errors(diagnostics).Count);
    }
}
