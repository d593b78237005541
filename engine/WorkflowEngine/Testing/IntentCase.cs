namespace WorkflowEngine.Testing;

/// <summary>One case of a <c>wfe test</c> file: a request and the tool calls it must plan, in order.</summary>
/// <param name="Name">The case name.</param>
/// <param name="Input">The request.</param>
/// <param name="ExpectedCalls">The calls, each a method and the parameters to check (plain data, possibly with matchers).</param>
public sealed record IntentCase(string Name, string Input, IReadOnlyList<ExpectedCall> ExpectedCalls);
