using Mediator;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool.Methods;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>Handles <c>git_operation</c>; every value goes to git as its own argument.</summary>
public sealed class GitOperationHandler(SandboxTargets targets) : IRequestHandler<GitOperationRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(GitOperationRequest request, CancellationToken cancellationToken)
    {
        var operation = request.Operation.Trim().ToLowerInvariant() switch { "switch" => "checkout", "branch" => "branches", var other => other };
        var path = string.IsNullOrWhiteSpace(request.WorkingDirectory) ? "/workspace" : request.WorkingDirectory;
        (string, object?)[] Echo(string? sandbox) => [("sandbox_id", sandbox ?? request.SandboxId), ("operation", operation)];
        var missing = operation switch
        {
            "clone" when string.IsNullOrWhiteSpace(request.RepositoryUrl) => "repository_url",
            "commit" when string.IsNullOrEmpty(request.CommitMessage) => "commit_message",
            "checkout" when string.IsNullOrWhiteSpace(request.Branch) => "branch",
            "clone" or "pull" or "push" or "status" or "commit" or "checkout" or "add" or "branches" or "log" or "init" => null,
            _ => "operation",
        };
        if (missing is not null)
        {
            return ToolResult.Fail("invalid_parameters", missing == "operation"
                ? $"Invalid parameter 'operation': '{request.Operation}' is not one of clone, pull, push, status, commit, checkout, add, branches, log, init."
                : $"Invalid parameter '{missing}': {operation} needs it.", [.. Echo(null), ("output", "")]);
        }

        if (operation == "clone" && ToolGitRoots.Problem(request.RepositoryUrl!, "repository_url") is { } problem)
        {
            return ToolResult.Fail(problem, [.. Echo(null), ("output", "")]);
        }

        var target = await targets.ResolveAsync(request.SandboxId, null, createWhenMissing: true, cancellationToken);
        if (!target.Succeeded)
        {
            return ToolResult.Fail(target.Error, [.. Echo(null), ("output", "")]);
        }

        var (id, git) = (target.Value.Id, target.Value.Provider.Git);
        var files = request.Files ?? [];
        switch (operation)
        {
            case "status":
                var status = await git.StatusAsync(id, path, cancellationToken);
                return status.Succeeded
                    ? ToolResult.Ok($"On branch {status.Value.Branch}, {status.Value.Files.Count} changed file(s).",
                        [.. Echo(id), ("output", string.Join('\n', status.Value.Files)), ("branch", status.Value.Branch), ("ahead", (long)status.Value.Ahead), ("behind", (long)status.Value.Behind),
                         ("files", status.Value.Files.Cast<object?>().ToList())])
                    : Fail(status.Error);
            case "branches":
                var branches = await git.BranchesAsync(id, path, cancellationToken);
                return branches.Succeeded
                    ? ToolResult.Ok($"{branches.Value.Count} branch(es).", [.. Echo(id), ("output", string.Join('\n', branches.Value)), ("branches", branches.Value.Cast<object?>().ToList())])
                    : Fail(branches.Error);
            case "log":
                var log = await git.LogAsync(id, path, 20, cancellationToken);
                return log.Succeeded
                    ? ToolResult.Ok($"{log.Value.Count} commit(s).", [.. Echo(id), ("output", string.Join('\n', log.Value.Select(c => $"{c.Hash[..12]} {c.Message.Split('\n')[0]}"))),
                        ("commits", log.Value.Select(c => (object?)new Dictionary<string, object?> { ["hash"] = c.Hash, ["author"] = c.Author, ["date"] = c.Date.ToString("O"), ["message"] = c.Message }).ToList())])
                    : Fail(log.Error);
            case "commit":
                var staged = await git.AddAsync(id, path, files, cancellationToken);
                if (!staged.Succeeded)
                {
                    return Fail(staged.Error);
                }

                var commit = await git.CommitAsync(id, path, request.CommitMessage!, cancellationToken: cancellationToken);
                return commit.Succeeded
                    ? ToolResult.Ok($"Committed {commit.Value[..12]}: {request.CommitMessage!.Split('\n')[0]}", [.. Echo(id), ("output", commit.Value), ("commit_id", commit.Value)])
                    : Fail(commit.Error);
        }

        var result = operation switch
        {
            "clone" => await git.CloneAsync(id, request.RepositoryUrl!, path, request.Branch, cancellationToken),
            "pull" => await git.PullAsync(id, path, cancellationToken),
            "push" => await git.PushAsync(id, path, cancellationToken),
            "checkout" => await git.CheckoutAsync(id, path, request.Branch!, cancellationToken),
            "add" => await git.AddAsync(id, path, files, cancellationToken),
            _ => await git.InitAsync(id, path, cancellationToken),
        };
        return result.Succeeded ? ToolResult.Ok($"git {operation} done in {id}.", [.. Echo(id), ("output", result.Value.Trim())]) : Fail(result.Error);

        IReadOnlyDictionary<string, object?> Fail(SandboxError error) => ToolResult.Fail(error, [.. Echo(id), ("output", "")]);
    }
}
