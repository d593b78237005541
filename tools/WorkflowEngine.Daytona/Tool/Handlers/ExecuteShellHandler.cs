using Mediator;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool.Methods;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>Handles <c>execute_shell</c>: the command line goes to bash inside the sandbox as one argument.</summary>
public sealed class ExecuteShellHandler(SandboxTargets targets) : IRequestHandler<ExecuteShellRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(ExecuteShellRequest request, CancellationToken cancellationToken)
    {
        var target = await targets.ResolveAsync(request.SandboxId, null, createWhenMissing: true, cancellationToken);
        if (!target.Succeeded)
        {
            return ToolResult.Fail(target.Error, ("sandbox_id", request.SandboxId), ("exit_code", null), ("stdout", ""), ("stderr", ""));
        }

        var (id, provider) = (target.Value.Id, target.Value.Provider);
        var timeout = SandboxTargets.Timeout(request.Timeout);
        if (!timeout.Succeeded)
        {
            return ToolResult.Fail(timeout.Error, ("sandbox_id", id), ("exit_code", null), ("stdout", ""), ("stderr", ""));
        }

        var result = await provider.Process.ExecAsync(id, new ExecRequest
        {
            Command = ["/bin/bash", "-c", request.Command],
            WorkingDirectory = request.WorkingDirectory,
            Timeout = timeout.Value,
        }, cancellationToken);
        if (!result.Succeeded)
        {
            return ToolResult.Fail(result.Error, ("sandbox_id", id), ("exit_code", null), ("stdout", ""), ("stderr", ""));
        }

        return ToolResult.FromExecution(id, result.Value, $"`{request.Command}`");
    }
}
