namespace WorkflowEngine.Agents.Tests.Support;

/// <summary>One case of an intents file: a request and the calls it must plan.</summary>
public sealed record IntentCase(string Name, string Input, IReadOnlyList<ExpectedCall> Calls)
{
    public override string ToString() => Name;
}

/// <summary>An expected call: the method and the expected parameters (plain values or matcher maps).</summary>
public sealed record ExpectedCall(string Method, IReadOnlyDictionary<string, object?> Params);
