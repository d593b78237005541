using Mediator;
using WorkflowEngine.Daytona.Tool.Methods;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>Handles <c>execute_code</c>: success means the code ran and exited with 0.</summary>
public sealed class ExecuteCodeHandler(SandboxTargets targets) : IRequestHandler<ExecuteCodeRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(ExecuteCodeRequest request, CancellationToken cancellationToken)
    {
        var language = string.IsNullOrWhiteSpace(request.Language) ? SandboxTargets.DefaultLanguage() : request.Language.Trim().ToLowerInvariant();
        var target = await targets.ResolveAsync(request.SandboxId, language, createWhenMissing: true, cancellationToken);
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

        var result = await provider.Process.RunCodeAsync(id, language, request.Code, timeout.Value, request.WorkingDirectory, cancellationToken);
        if (!result.Succeeded)
        {
            return ToolResult.Fail(result.Error, ("sandbox_id", id), ("exit_code", null), ("stdout", ""), ("stderr", ""));
        }

        return ToolResult.FromExecution(id, result.Value, $"The {language} code");
    }
}
