using WorkflowEngine.Definitions;

namespace WorkflowEngine.Agents.Tests.Support;

/// <summary>Builds agent requests the way the engine does: user_input, previous_output and steps.{id}.output.</summary>
public static class AgentRequests
{
    public static AgentRequest For(string? userInput, string input = "", IReadOnlyDictionary<string, object?>? stepOutputs = null, string? userQuery = null, string? error = null)
    {
        var steps = new Dictionary<string, object?>(StringComparer.Ordinal);
        object? previous = null;
        foreach (var (id, output) in stepOutputs ?? new Dictionary<string, object?>())
        {
            steps[id] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["output"] = output, ["status"] = "succeeded", ["error"] = null };
            previous = output;
        }

        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["user_input"] = userInput,
            ["user_query"] = userQuery,
            ["previous_output"] = previous,
            ["error"] = error,
            ["steps"] = steps,
        };
        return new AgentRequest(new AgentDefinition { Id = "test_agent" }, "", input, variables);
    }

    public static async Task<string> AskAsync(IAgent agent, AgentRequest request)
    {
        var reply = await agent.RespondAsync(request);
        Assert.Null(reply.Error);
        return reply.Text;
    }

    public static Dictionary<string, object?> Json(string text) =>
        WorkflowEngine.Templating.PlainData.TryParseObject(text) ?? throw new Xunit.Sdk.XunitException("Not a JSON object: " + text);
}
