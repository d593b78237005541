using WorkflowEngine.Runtime;
using WorkflowEngine.Testing;

namespace WorkflowEngine.Tests.Testing;

public class CallMatcherTests
{
    private static ToolCallRecord Call(string method, params (string Key, object? Value)[] parameters) =>
        new("daytona_environment", method, parameters.ToDictionary(p => p.Key, p => p.Value), new Dictionary<string, object?> { ["success"] = true });

    private static ExpectedCall Expect(string method, params (string Key, object? Value)[] parameters) =>
        new(method, parameters.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void Mismatch_ExpectedCallsInOrderAmongOthers_Matches()
    {
        var planned = new[] { Call("list_sandboxes"), Call("create_sandbox", ("language", "python")), Call("execute_code", ("code", "print(1)")) };

        Assert.Null(CallMatcher.Mismatch([Expect("create_sandbox"), Expect("execute_code", ("code", " print(1) "))], planned));
        Assert.NotNull(CallMatcher.Mismatch([Expect("execute_code"), Expect("create_sandbox")], planned));
    }

    [Fact]
    public void Mismatch_AbsentParameter_ComparesAsDocumentedDefault()
    {
        Assert.Null(CallMatcher.Mismatch([Expect("create_sandbox", ("persistent", false), ("language", "python"))], [Call("create_sandbox")]));
        Assert.NotNull(CallMatcher.Mismatch([Expect("create_sandbox", ("persistent", true))], [Call("create_sandbox")]));
    }

    [Theory]
    [InlineData("Python", "python", true)]
    [InlineData("npm test", "NPM TEST", false)]
    [InlineData("npm test", " npm test ", true)]
    public void Matches_PlainValues_TrimAndIgnoreCaseOnlyForSingleWords(string expected, string actual, bool matches) =>
        Assert.Equal(matches, CallMatcher.Matches(expected, actual));

    [Fact]
    public void Matches_ContainsAndOneOfAndMaps_FollowTheRules()
    {
        Assert.True(CallMatcher.Matches(new Dictionary<string, object?> { ["contains"] = "main.py" }, "/workspace/main.py"));
        Assert.True(CallMatcher.Matches(new Dictionary<string, object?> { ["one_of"] = new List<object?> { "typescript", "javascript" } }, "javascript"));
        Assert.False(CallMatcher.Matches(new Dictionary<string, object?> { ["one_of"] = new List<object?> { "typescript" } }, "python"));
        var env = new Dictionary<string, object?> { ["ENV"] = "development", ["EXTRA"] = "x" };
        Assert.True(CallMatcher.Matches(new Dictionary<string, object?> { ["ENV"] = "development" }, env));
        Assert.False(CallMatcher.Matches(new Dictionary<string, object?> { ["ENV"] = "production" }, env));
    }

    [Fact]
    public void Mismatch_NoCalls_SaysWhatWasExpectedAndPlanned()
    {
        var message = CallMatcher.Mismatch([Expect("delete_sandbox", ("sandbox_id", "sandbox-1"))], []);

        Assert.Contains("delete_sandbox", message);
        Assert.Contains("no tool calls", message);
    }
}
