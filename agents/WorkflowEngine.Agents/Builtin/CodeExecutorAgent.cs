using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary><c>code_executor</c>: answers the JSON parameters of <c>execute_code</c> or <c>execute_shell</c>, whichever the request is.</summary>
public sealed class CodeExecutorAgent : IAgent
{
    /// <inheritdoc />
    public ValueTask<AgentReply> RespondAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = AgentInputs.RequestText(request);
        var method = RequestInterpreter.Classify(text).Method;
        if (method is not (DaytonaMethods.ExecuteCode or DaytonaMethods.ExecuteShell))
        {
            var shell = RequestInterpreter.InterpretAs(text, DaytonaMethods.ExecuteShell);
            method = shell.Params.TryGetValue("command", out var command) && command is string c && ShellCommands.IsCommand(c)
                ? DaytonaMethods.ExecuteShell
                : DaytonaMethods.ExecuteCode;
        }

        return AgentInputs.Reply(AgentInputs.ToJson(RequestInterpreter.InterpretAs(text, method).Params));
    }
}
