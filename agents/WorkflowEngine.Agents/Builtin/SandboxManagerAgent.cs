using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>
/// <c>sandbox_manager</c>: answers JSON parameters: <c>{"sandbox_id"}</c> for delete and info requests; for a clean-up
/// request after a listing, <c>{"sandbox_ids": [...]}</c> of the listed sandboxes whose names match the request's words;
/// otherwise the <c>create_sandbox</c> parameters the request states.
/// </summary>
public sealed class SandboxManagerAgent : IAgent
{
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "clean", "cleanup", "up", "old", "all", "my", "the", "unused", "stale", "environments", "environment", "sandboxes", "sandbox",
        "remove", "delete", "prune", "please", "any", "of", "and", "workspaces", "dev", "development",
    };

    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = AgentInputs.RequestText(request);
        var call = RequestInterpreter.Interpret(text);
        if (call.Method is DaytonaMethods.DeleteSandbox or DaytonaMethods.GetSandboxInfo)
        {
            return AgentInputs.Reply(AgentInputs.ToJson(call.Params));
        }

        if (call.Method == DaytonaMethods.ListSandboxes)
        {
            var listing = AgentInputs.StepOutputs(request).Select(o => AgentInputs.AsObject(o.Output)).LastOrDefault(o => o?.ContainsKey("sandboxes") == true);
            if (listing is not null)
            {
                return AgentInputs.Reply(AgentInputs.ToJson(new Dictionary<string, object?> { ["sandbox_ids"] = CleanupTargets(text, listing) }));
            }
        }

        return AgentInputs.Reply(AgentInputs.ToJson(RequestInterpreter.InterpretAs(text, DaytonaMethods.CreateSandbox).Params));
    }

    private static List<string> CleanupTargets(string request, Dictionary<string, object?> listing)
    {
        var words = request.ToLowerInvariant()
            .Split([' ', ',', '.', '!', '?', ';', ':'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !Ignored.Contains(w) && w.Length > 2)
            .Select(w => w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 5 ? w[..^3] : w)
            .ToList();
        var targets = new List<string>();
        if (listing["sandboxes"] is not IEnumerable<object?> sandboxes)
        {
            return targets;
        }

        foreach (var item in sandboxes)
        {
            var sandbox = AgentInputs.AsObject(item);
            if (sandbox?.GetValueOrDefault("sandbox_id") is not string id)
            {
                continue;
            }

            var name = (sandbox.GetValueOrDefault("name") as string ?? "").ToLowerInvariant();
            if (words.Count > 0 && words.Any(w => name.Contains(w, StringComparison.Ordinal)))
            {
                targets.Add(id);
            }
        }

        return targets;
    }
}
