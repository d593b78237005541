using System.Collections.Concurrent;
using Mediator;
using WorkflowEngine.Hosting;
using WorkflowEngine.Runtime;
using WorkflowEngine.Tests.Support;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Tests.Tools;

/// <summary>A typed tool method: adds two numbers.</summary>
public sealed record AddRequest : IRequest<AddResult>, IToolRequest
{
    public required long A { get; init; }

    public required long B { get; init; }

    public string? Label { get; init; }
}

/// <summary>The result of <see cref="AddRequest"/>.</summary>
public sealed record AddResult(long Sum, string? Label);

/// <summary>Handles <see cref="AddRequest"/> and records every request it receives.</summary>
public sealed class AddHandler : IRequestHandler<AddRequest, AddResult>
{
    /// <summary>Every request handled, across tests; tests filter by a unique label.</summary>
    public static ConcurrentQueue<AddRequest> Received { get; } = new();

    public ValueTask<AddResult> Handle(AddRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        return ValueTask.FromResult(new AddResult(request.A + request.B, request.Label));
    }
}

public class ToolInvocationTests
{
    private static void AddCalc(WorkflowEngineBuilder builder) =>
        builder.AddTool("calc", t => t.AddMethod<AddRequest>("add", "Adds a and b."));

    private static string UniqueLabel() => "label-" + Guid.NewGuid().ToString("N");

    private static IReadOnlyList<AddRequest> ReceivedWith(string label) =>
        AddHandler.Received.Where(r => r.Label == label).ToList();

    private static Task<RunResult> RunAsync(string yaml, string userInput, Action<WorkflowEngineBuilder>? configure = null, Action<WorkflowEngineOptions>? options = null) =>
        TestEngine.RunAsync(yaml, "flow", userInput, b =>
        {
            AddCalc(b);
            configure?.Invoke(b);
        }, options);

    private static Dictionary<string, object?> OutputOf(RunResult result, string stepId) =>
        Assert.IsType<Dictionary<string, object?>>(result.Steps.Single(s => s.Id == stepId).Output);

    private const string NativeYaml = """
        agents:
          - id: numbers
            agent_type: builtin
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: numbers
                  agent: numbers
                  input: ${user_input}
                - id: add
                  tool: calc
                  method: add
                  params:
                    a: ${steps.numbers.output.x}
                    b: ${steps.numbers.output.y}
                    label: "${steps.numbers.output.label}"
                - id: report
                  agent: echo
                  input: "sum=${steps.add.output.sum} ok=${steps.add.output.success}"
                  output: { to: user }
        """;

    [Fact]
    public async Task ToolStep_MethodAndTemplatedParams_ReturnsObjectResultReadableByLaterSteps()
    {
        var label = UniqueLabel();
        var numbers = new ScriptedAgent(_ => $$"""{"x": 2, "y": 40, "label": "{{label}}"}""");

        var result = await RunAsync(NativeYaml, "go", b => b.AddBuiltinAgent("numbers", numbers));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("sum=42 ok=true", result.Output);
        var output = OutputOf(result, "add");
        Assert.Equal(true, output["success"]);
        Assert.Equal(42L, output["sum"]);
        Assert.Equal(label, output["label"]);
        var received = Assert.Single(ReceivedWith(label));
        Assert.Equal(2, received.A);
        Assert.Equal(40, received.B);
    }

    [Fact]
    public async Task ToolStep_WholePlaceholderParams_PassNativeValuesNotText()
    {
        var label = UniqueLabel();
        var numbers = new ScriptedAgent(_ => $$"""{"x": 7, "y": 8, "label": "{{label}}"}""");

        var result = await RunAsync(NativeYaml, "go", b => b.AddBuiltinAgent("numbers", numbers));

        Assert.True(result.Succeeded, result.Error);
        var call = Assert.Single(result.ToolCalls);
        Assert.IsType<long>(call.Params["a"]);
        Assert.Equal(7L, call.Params["a"]);
        Assert.Equal(8L, call.Params["b"]);
        Assert.Equal(label, call.Params["label"]);
    }

    [Fact]
    public async Task ToolStep_ParamsFromInputObject_CallsMethod()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: add
                      tool: calc
                      input:
                        method: add
                        params:
                          a: 20
                          b: 22
                          label: ${user_input}
            """;
        var label = UniqueLabel();

        var result = await RunAsync(yaml, label);

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal(42L, output["sum"]);
        Assert.Single(ReceivedWith(label));
    }

    [Fact]
    public async Task ToolStep_MissingRequiredParam_ReturnsInvalidParametersListingFields()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: add
                      tool: calc
                      method: add
                      params:
                        a: 1
                        label: ${user_input}
                      output: { to: user }
            """;
        var label = UniqueLabel();

        var result = await RunAsync(yaml, label);

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_parameters", output["error_type"]);
        var error = Assert.IsType<string>(output["error"]);
        Assert.Contains("'b'", error);
        Assert.Contains("Required: a, b.", error);
        Assert.Contains("Optional: label.", error);
        Assert.Empty(ReceivedWith(label));
        Assert.Equal(false, Assert.Single(result.ToolCalls).Result["success"]);
    }

    [Fact]
    public async Task ToolStep_WrongParamType_ReturnsInvalidParameterNamingField()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: add
                      tool: calc
                      method: add
                      params:
                        a: "not a number"
                        b: 2
                      output: { to: user }
            """;

        var result = await RunAsync(yaml, "x");

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_parameters", output["error_type"]);
        Assert.Contains("Invalid parameter 'a'", Assert.IsType<string>(output["error"]));
    }

    [Fact]
    public async Task ToolStep_UnknownMethod_ReturnsFailureWithAvailableMethods()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: call
                      tool: calc
                      method: ${user_input}
                      params: { a: 1, b: 2 }
                      output: { to: user }
            """;

        var result = await RunAsync(yaml, "ad");

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal(false, output["success"]);
        Assert.Equal("unknown_method", output["error_type"]);
        Assert.Contains("Method 'ad' is not available", Assert.IsType<string>(output["error"]));
        Assert.Equal(new List<object?> { "add" }, Assert.IsType<List<object?>>(output["available_methods"]));
    }

    [Fact]
    public async Task ToolStep_LiteralUnknownMethod_IsRefusedBeforeRunning()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: call
                      tool: calc
                      method: multiply
                      params: { a: 1, b: 2 }
            """;

        var result = await RunAsync(yaml, "x");

        Assert.False(result.Succeeded);
        Assert.Empty(result.Steps);
        Assert.Contains(result.Diagnostics, d => d.ToString().Contains("no method 'multiply'", StringComparison.Ordinal));
    }

    private static string McpYaml(string payload) => $$"""
        agents:
          - id: builder
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: build
                  agent: builder
                  input: ${user_input}
                - id: call
                  function: langswarm.core.utils.workflows.functions.mcp_call
                  args:
                    mcp_url: "local://calc"
        {{payload}}
                  output: { to: user }
        """;

    private static async Task<(RunResult Result, string Label)> RunMcpAsync(string payload, Func<string, string>? builderReply = null)
    {
        var label = UniqueLabel();
        var builder = new ScriptedAgent(_ => builderReply?.Invoke(label) ?? "unused");
        var result = await RunAsync(McpYaml(payload), label, b => b.AddBuiltinAgent("builder", builder));
        return (result, label);
    }

    [Fact]
    public async Task McpCall_NameArgumentsPayload_CallsLocalTool()
    {
        var (result, label) = await RunMcpAsync("""
                        payload:
                          name: add
                          arguments:
                            a: 3
                            b: 4
                            label: ${user_input}
            """);

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal(true, output["success"]);
        Assert.Equal(7L, output["sum"]);
        Assert.Single(ReceivedWith(label));
        var call = Assert.Single(result.ToolCalls);
        Assert.Equal("calc", call.Tool);
        Assert.Equal("add", call.Method);
    }

    [Fact]
    public async Task McpCall_MethodParamsPayload_CallsLocalTool()
    {
        var (result, label) = await RunMcpAsync("""
                        payload:
                          method: add
                          params:
                            a: 10
                            b: 5
                            label: ${user_input}
            """);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(15L, Assert.IsType<Dictionary<string, object?>>(result.Output)["sum"]);
        Assert.Single(ReceivedWith(label));
    }

    [Fact]
    public async Task McpCall_ToolsCallEnvelopePayload_CallsLocalTool()
    {
        var (result, label) = await RunMcpAsync("""
                        payload:
                          method: tools/call
                          params:
                            name: add
                            arguments:
                              a: 1
                              b: 1
                              label: ${user_input}
            """);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2L, Assert.IsType<Dictionary<string, object?>>(result.Output)["sum"]);
        Assert.Single(ReceivedWith(label));
    }

    [Fact]
    public async Task McpCall_JsonObjectBuiltByAgent_CallsLocalTool()
    {
        var (result, label) = await RunMcpAsync(
            """
                        payload: ${steps.build.output}
            """,
            label => $$$"""{"method": "add", "params": {"a": 100, "b": 23, "label": "{{{label}}}"}}""");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(123L, Assert.IsType<Dictionary<string, object?>>(result.Output)["sum"]);
        Assert.Single(ReceivedWith(label));
    }

    [Fact]
    public async Task McpCall_JsonStringInsideLangSwarmEnvelope_ParsesStringPayload()
    {
        // parameter_builder answers {"response": "<json text>"}; the step output is then the JSON *string*.
        var (result, label) = await RunMcpAsync(
            """
                        payload: ${steps.build.output}
            """,
            label => $$$"""{"response": "{\"method\": \"add\", \"params\": {\"a\": 1, \"b\": 41, \"label\": \"{{{label}}}\"}}"}""");

        Assert.True(result.Succeeded, result.Error);
        Assert.IsType<string>(result.Steps.Single(s => s.Id == "build").Output);
        Assert.Equal(42L, Assert.IsType<Dictionary<string, object?>>(result.Output)["sum"]);
        Assert.Single(ReceivedWith(label));
    }

    [Fact]
    public async Task McpCall_JsonStringArguments_AreParsed()
    {
        var (result, label) = await RunMcpAsync("""
                        payload:
                          name: add
                          arguments: '{"a": 2, "b": 3, "label": "${user_input}"}'
            """);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(5L, Assert.IsType<Dictionary<string, object?>>(result.Output)["sum"]);
        Assert.Single(ReceivedWith(label));
    }

    [Fact]
    public async Task McpCall_InvalidPayloadShape_FailsStepWithClearMessage()
    {
        var (result, _) = await RunMcpAsync("""
                        payload:
                          tool: calc
                          inputs: { a: 1 }
            """);

        Assert.False(result.Succeeded);
        Assert.Contains("Step 'call' failed", result.Error);
        Assert.Contains("Invalid payload format", result.Error);
        Assert.Contains("local://calc", result.Error);
        Assert.Empty(result.ToolCalls);
    }

    [Fact]
    public async Task McpCall_NonJsonTextPayload_FailsStepWithClearMessage()
    {
        var (result, _) = await RunMcpAsync(
            """
                        payload: ${steps.build.output}
            """,
            _ => "please add 1 and 2");

        Assert.False(result.Succeeded);
        Assert.Contains("Invalid payload format", result.Error);
        Assert.Contains("please add 1 and 2", result.Error);
    }

    [Fact]
    public async Task RunResult_ToolCalls_RecordToolMethodParamsAndResult()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: first
                      tool: calc
                      method: add
                      params: { a: 1, b: 2, label: "${user_input}" }
                    - id: second
                      tool: calc
                      method: add
                      params: { a: "${steps.first.output.sum}", b: 10, label: "${user_input}" }
            """;
        var label = UniqueLabel();

        var result = await RunAsync(yaml, label);

        Assert.True(result.Succeeded, result.Error);
        Assert.Collection(
            result.ToolCalls,
            call =>
            {
                Assert.Equal("calc", call.Tool);
                Assert.Equal("add", call.Method);
                Assert.Equal(1L, call.Params["a"]);
                Assert.Equal(2L, call.Params["b"]);
                Assert.Equal(label, call.Params["label"]);
                Assert.Equal(true, call.Result["success"]);
                Assert.Equal(3L, call.Result["sum"]);
            },
            call =>
            {
                Assert.Equal(3L, call.Params["a"]);
                Assert.Equal(13L, call.Result["sum"]);
            });
        Assert.Equal(2, ReceivedWith(label).Count);
    }

    [Fact]
    public async Task DryRun_ToolStep_RecordsCallWithoutInvokingHandler()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: add
                      tool: calc
                      method: add
                      params: { a: 1, b: 2, label: "${user_input}" }
                      output: { to: user }
            """;
        var label = UniqueLabel();

        var result = await RunAsync(yaml, label, options: o => o.DryRun = true);

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(ReceivedWith(label));
        var call = Assert.Single(result.ToolCalls);
        Assert.Equal("add", call.Method);
        Assert.Equal(label, call.Params["label"]);
        Assert.Equal(true, call.Result["success"]);
        Assert.Equal(true, call.Result["dry_run"]);
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal(true, output["dry_run"]);
        Assert.False(output.ContainsKey("sum"));
    }

    [Fact]
    public async Task DryRun_WithPlanner_ReturnsPlannedResult()
    {
        const string yaml = """
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: add
                      tool: calc
                      method: add
                      params: { a: 1, b: 2, label: "${user_input}" }
                      output: { to: user }
            """;
        var label = UniqueLabel();

        var result = await TestEngine.RunAsync(
            yaml,
            "flow",
            label,
            b => b.AddTool("calc", t =>
            {
                t.AddMethod<AddRequest>("add");
                t.Planner = new FixedPlanner();
            }),
            o => o.DryRun = true);

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(ReceivedWith(label));
        var output = Assert.IsType<Dictionary<string, object?>>(result.Output);
        Assert.Equal("planned add with 3 params", output["message"]);
    }

    private sealed class FixedPlanner : IToolPlanner
    {
        public IReadOnlyDictionary<string, object?> Plan(string method, IReadOnlyDictionary<string, object?> parameters) =>
            new Dictionary<string, object?> { ["success"] = true, ["message"] = $"planned {method} with {parameters.Count} params" };
    }
}
