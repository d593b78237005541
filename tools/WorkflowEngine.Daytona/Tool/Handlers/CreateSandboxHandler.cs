using Mediator;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool.Methods;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>Handles <c>create_sandbox</c>.</summary>
public sealed class CreateSandboxHandler(SandboxProviderSelector providers, SandboxTargets targets)
    : IRequestHandler<CreateSandboxRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(CreateSandboxRequest request, CancellationToken cancellationToken)
    {
        var language = string.IsNullOrWhiteSpace(request.Language) ? SandboxTargets.DefaultLanguage() : request.Language.Trim().ToLowerInvariant();
        if (request.GitRepo is { } repository && ToolGitRoots.Problem(repository, "git_repo") is { } refused)
        {
            return ToolResult.Fail(refused, ("sandbox_id", null), ("name", request.Name), ("language", language), ("status", "error"));
        }

        var selected = providers.Select();
        if (!selected.Succeeded)
        {
            return ToolResult.Fail(selected.Error, ("sandbox_id", null), ("name", request.Name), ("language", language), ("status", "error"));
        }

        var persistent = request.Persistent ?? SandboxTargets.IsTrue(ToolCallContext.Current?.Config("default_persistent"));
        var created = await targets.CreateAsync(selected.Value, new SandboxSpec
        {
            Language = language,
            Name = request.Name,
            Image = request.Image,
            GitRepo = request.GitRepo,
            GitBranch = request.GitBranch,
            EnvironmentVars = request.EnvironmentVars ?? [],
            Persistent = persistent,
        }, cancellationToken);
        if (!created.Succeeded)
        {
            return ToolResult.Fail(created.Error, ("sandbox_id", null), ("name", request.Name), ("language", language), ("status", "error"));
        }

        var info = created.Value;
        return ToolResult.Ok(
            $"Created {info.Language} sandbox {info.Name} ({info.Id}){(info.GitRepo is null ? "" : $" with {info.GitRepo} cloned into /workspace")}.",
            ("sandbox_id", info.Id),
            ("name", info.Name),
            ("language", info.Language),
            ("status", info.State),
            ("preview_url", info.PreviewUrl),
            ("persistent", info.Persistent),
            ("kept", SandboxTargets.WillKeep(info.Persistent)),
            ("isolation", info.Isolation));
    }
}
