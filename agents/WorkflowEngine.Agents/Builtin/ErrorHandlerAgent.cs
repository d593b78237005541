using System.Text;

namespace WorkflowEngine.Agents.Builtin;

/// <summary><c>error_handler</c>: turns a failure (a failed tool result, the run's error, or the input text) into advice.</summary>
public sealed class ErrorHandlerAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (type, message) = FindError(request);
        var advice = ErrorAdvisor.Advise(type, message);
        var builder = new StringBuilder("⚠️ ").Append(advice.Summary);
        if (!string.IsNullOrWhiteSpace(message))
        {
            builder.Append("\n\nError").Append(type is null ? "" : $" ({type})").Append(": ").Append(message.Trim());
        }

        builder.Append("\n\nWhat to do:");
        foreach (var step in advice.Steps)
        {
            builder.Append("\n- ").Append(step);
        }

        return AgentInputs.Reply(builder.ToString());
    }

    private static (string? Type, string? Message) FindError(AgentRequest request)
    {
        var input = AgentInputs.EmbeddedObject(request.Input);
        if (input is not null && ErrorOf(input) is { } fromInput)
        {
            return fromInput;
        }

        foreach (var (_, output) in AgentInputs.StepOutputs(request).Reverse())
        {
            if (AgentInputs.AsObject(output) is { } result && ErrorOf(result) is { } fromStep)
            {
                return fromStep;
            }
        }

        var error = request.Variables.TryGetValue("error", out var e) ? e?.ToString() : null;
        return (null, string.IsNullOrWhiteSpace(error) ? request.Input : error);
    }

    private static (string? Type, string? Message)? ErrorOf(Dictionary<string, object?> result)
    {
        var failed = result.GetValueOrDefault("success") is false || result.GetValueOrDefault("status") as string == "error" || result.ContainsKey("error");
        if (!failed)
        {
            return null;
        }

        var message = result.GetValueOrDefault("error") as string ?? result.GetValueOrDefault("message") as string ?? result.GetValueOrDefault("stderr") as string;
        return (result.GetValueOrDefault("error_type") as string, message);
    }
}
