namespace WorkflowEngine.Definitions;

/// <summary>Where a run goes after a step: one entry of <c>output.to</c>.</summary>
public abstract record RouteTarget
{
    /// <summary>Where the target is written.</summary>
    public SourcePosition Position { get; init; } = SourcePosition.None;
}

/// <summary>Runs the named step next.</summary>
/// <param name="StepId">The step to run.</param>
public sealed record StepRoute(string StepId) : RouteTarget;

/// <summary>Sets the run's output to the step's output and ends this branch.</summary>
public sealed record UserRoute : RouteTarget;

/// <summary><c>condition: {if, then, else}</c>.</summary>
/// <param name="Condition">A Scriban expression; LangSwarm <c>${...}</c> placeholders are accepted.</param>
/// <param name="Then">The target when true.</param>
/// <param name="Else">The target when false; <see langword="null"/> ends the branch.</param>
public sealed record IfRoute(ValueNode Condition, RouteTarget Then, RouteTarget? Else) : RouteTarget;

/// <summary><c>condition: {switch, cases, default}</c>: the value is compared as text with each case key.</summary>
/// <param name="Value">The expression whose value picks the case.</param>
/// <param name="Cases">Case key to target.</param>
/// <param name="Default">The target when no case matches; <see langword="null"/> ends the branch.</param>
public sealed record SwitchRoute(ValueNode Value, IReadOnlyList<KeyValuePair<string, RouteTarget>> Cases, RouteTarget? Default) : RouteTarget;

/// <summary><c>condition: {exists, then, else}</c>: true when the path holds a non-null, non-empty value.</summary>
/// <param name="Path">A variable path such as <c>steps.build.output.url</c>.</param>
/// <param name="Then">The target when the value exists.</param>
/// <param name="Else">The target otherwise; <see langword="null"/> ends the branch.</param>
public sealed record ExistsRoute(ValueNode Path, RouteTarget Then, RouteTarget? Else) : RouteTarget;
