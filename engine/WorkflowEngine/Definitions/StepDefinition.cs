namespace WorkflowEngine.Definitions;

/// <summary>One step of a workflow.</summary>
public sealed record StepDefinition
{
    /// <summary>The id, unique in its workflow and the key in <c>steps</c> and <c>step_outputs</c>.</summary>
    public required string Id { get; init; }

    /// <summary>What the step does, derived from which action field is set.</summary>
    public StepKind Kind => Agent is not null ? StepKind.Agent
        : Tool is not null ? StepKind.Tool
        : Function is not null ? StepKind.Function
        : Workflow is not null ? StepKind.Workflow
        : StepKind.None;

    /// <summary>The agent to call (<c>agent:</c>).</summary>
    public string? Agent { get; init; }

    /// <summary>The tool to call (<c>tool:</c>).</summary>
    public string? Tool { get; init; }

    /// <summary>The tool method (<c>method:</c>); a template.</summary>
    public ValueNode? Method { get; init; }

    /// <summary>The tool parameters (<c>params:</c>); templates inside are rendered.</summary>
    public ValueNode? Params { get; init; }

    /// <summary>The function name (<c>function:</c>), such as LangSwarm's <c>mcp_call</c>.</summary>
    public string? Function { get; init; }

    /// <summary>The function arguments (<c>args:</c>).</summary>
    public ValueNode? Args { get; init; }

    /// <summary>The sub-workflow to run (<c>workflow:</c> or <c>invoke_workflow:</c>).</summary>
    public string? Workflow { get; init; }

    /// <summary>The input for an agent or sub-workflow, or a <c>{method, params}</c> object for a tool.</summary>
    public ValueNode? Input { get; init; }

    /// <summary>The routes taken after the step succeeds; <see langword="null"/> continues with the next step in the list.</summary>
    public IReadOnlyList<RouteTarget>? Routes { get; init; }

    /// <summary>The route taken when the step fails after its retries; <see langword="null"/> fails the run.</summary>
    public RouteTarget? OnError { get; init; }

    /// <summary>A condition (<c>when:</c> or <c>condition:</c>); the step is skipped when it is false.</summary>
    public ValueNode? When { get; init; }

    /// <summary>How many times to retry a failed step, with exponential backoff.</summary>
    public int Retry { get; init; }

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A list to run the step once per item of (<c>for_each:</c>).</summary>
    public ValueNode? ForEach { get; init; }

    /// <summary>The variable that holds the current item; <c>item</c> by default.</summary>
    public string ForEachVariable { get; init; } = "item";

    /// <summary>Where the step is defined.</summary>
    public SourcePosition Position { get; init; } = SourcePosition.None;

    /// <summary>Where the action field (<c>agent:</c>, <c>tool:</c>…) is, for precise reference errors.</summary>
    public SourcePosition ActionPosition { get; init; } = SourcePosition.None;
}
