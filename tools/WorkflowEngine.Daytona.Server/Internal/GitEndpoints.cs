using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>
/// The toolbox's <c>/git</c> routes over the provider's git operations. Every value arrives as its own JSON field and
/// reaches git as its own argument; branch creation and deletion run <c>git branch</c> inside the sandbox with argv.
/// </summary>
internal static class GitEndpoints
{
    public static void Map(RouteGroupBuilder toolbox, ISandboxProvider provider)
    {
        var git = provider.Git;
        Post(toolbox, "/git/clone", ["url"], async (context, id, body, path) =>
        {
            var commit = string.IsNullOrWhiteSpace(body.CommitId) ? null : body.CommitId.Trim();
            if (commit is not null && !IsCommitHash(commit))
            {
                return Errors.Toolbox(context, 400, $"commit_id '{commit}' is not a commit hash (4 to 64 hex digits)");
            }

            var cloned = await git.CloneAsync(id, body.Url!, path, string.IsNullOrWhiteSpace(body.Branch) ? null : body.Branch, context.RequestAborted).ConfigureAwait(false);
            if (!cloned.Succeeded || commit is null)
            {
                return cloned.Succeeded ? Results.Ok() : Failed(context, cloned.Error);
            }

            // As the daemon does: the clone ends on that commit, detached.
            var checkedOut = await provider.Process.ExecAsync(id, new ExecRequest { Command = ["git", "checkout", "--quiet", "--detach", commit], WorkingDirectory = path }, context.RequestAborted).ConfigureAwait(false);
            if (!checkedOut.Succeeded)
            {
                return Failed(context, checkedOut.Error);
            }

            return checkedOut.Value.ExitCode == 0
                ? Results.Ok()
                : Errors.Toolbox(context, 404, $"cloned, but commit {commit} is not in the repository: {(checkedOut.Value.Stderr + checkedOut.Value.Stdout).Trim()}", "GIT_BRANCH_NOT_FOUND");
        });

        toolbox.MapGet("/git/status", async (HttpContext context, string sandboxId) =>
        {
            if (string.IsNullOrEmpty(context.Request.Query["path"]))
            {
                return Errors.Toolbox(context, 400, "query parameter path is required");
            }

            var status = await git.StatusAsync(sandboxId, ToolboxPaths.Resolve(context.Request.Query["path"]), context.RequestAborted).ConfigureAwait(false);
            return status.Succeeded ? Results.Json(GitStatusView.From(status.Value), ServerJson.Options) : Failed(context, status.Error);
        });

        Post(toolbox, "/git/add", ["files"], async (context, id, body, path) =>
        {
            // "." means everything, as in the daemon.
            var files = body.Files!.Where(f => f != ".").ToList();
            var added = await git.AddAsync(id, path, body.Files!.Contains(".") ? [] : files, context.RequestAborted).ConfigureAwait(false);
            return added.Succeeded ? Results.Ok() : Failed(context, added.Error);
        });

        Post(toolbox, "/git/commit", ["message", "author", "email"], async (context, id, body, path) =>
        {
            if (body.AllowEmpty == true)
            {
                return await CommitAllowingEmptyAsync(context, provider, id, path, body).ConfigureAwait(false);
            }

            var committed = await git.CommitAsync(id, path, body.Message!, body.Author, body.Email, context.RequestAborted).ConfigureAwait(false);
            return committed.Succeeded ? Results.Json(new { hash = committed.Value }, ServerJson.Options) : Failed(context, committed.Error);
        });

        Post(toolbox, "/git/push", [], async (context, id, _, path) =>
        {
            var pushed = await git.PushAsync(id, path, context.RequestAborted).ConfigureAwait(false);
            return pushed.Succeeded ? Results.Ok() : Failed(context, pushed.Error);
        });

        Post(toolbox, "/git/pull", [], async (context, id, _, path) =>
        {
            var pulled = await git.PullAsync(id, path, context.RequestAborted).ConfigureAwait(false);
            return pulled.Succeeded ? Results.Ok() : Failed(context, pulled.Error);
        });

        Post(toolbox, "/git/checkout", ["branch"], (context, id, body, path) => CheckoutAsync(context, provider, id, path, body.Branch!));

        Post(toolbox, "/git/init", [], async (context, id, _, path) =>
        {
            var created = await git.InitAsync(id, path, context.RequestAborted).ConfigureAwait(false);
            return created.Succeeded ? Results.StatusCode(StatusCodes.Status201Created) : Failed(context, created.Error);
        });

        toolbox.MapGet("/git/branches", async (HttpContext context, string sandboxId) =>
        {
            var path = ToolboxPaths.Resolve(context.Request.Query["path"]);
            var branches = await git.BranchesAsync(sandboxId, path, context.RequestAborted).ConfigureAwait(false);
            if (!branches.Succeeded)
            {
                return Failed(context, branches.Error);
            }

            var status = await git.StatusAsync(sandboxId, path, context.RequestAborted).ConfigureAwait(false);
            var current = status.Succeeded && branches.Value.Contains(status.Value.Branch) ? status.Value.Branch : null;
            return Results.Json(new { branches = branches.Value, current }, ServerJson.Options);
        });

        Post(toolbox, "/git/branches", ["name"], (context, id, body, path) => BranchAsync(context, provider, id, path, body.Name!, ["branch", body.Name!], StatusCodes.Status201Created));
        toolbox.MapDelete("/git/branches", (HttpContext context, string sandboxId) =>
            HandleAsync(context, sandboxId, ["name"], (c, id, body, path) => BranchAsync(c, provider, id, path, body.Name!, ["branch", "-d", body.Name!], StatusCodes.Status204NoContent)));

        toolbox.MapGet("/git/history", async (HttpContext context, string sandboxId) =>
        {
            var log = await git.LogAsync(sandboxId, ToolboxPaths.Resolve(context.Request.Query["path"]), 100, context.RequestAborted).ConfigureAwait(false);
            if (!log.Succeeded && log.Error.Message.Contains("does not have any commits", StringComparison.Ordinal))
            {
                // A new repository has an empty history, not a failure.
                return Results.Json(Array.Empty<object>(), ServerJson.Options);
            }

            return log.Succeeded
                ? Results.Json(log.Value.Select(c => new { hash = c.Hash, author = c.Author, email = c.Email, message = c.Message, timestamp = c.Date.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }), ServerJson.Options)
                : Failed(context, log.Error);
        });
    }

    private static void Post(RouteGroupBuilder toolbox, string route, string[] required, Func<HttpContext, string, GitRequest, string, Task<IResult>> handle) =>
        toolbox.MapPost(route, (HttpContext context, string sandboxId) => HandleAsync(context, sandboxId, required, handle));

    /// <summary>Reads the body, checks <c>path</c> and the <paramref name="required"/> fields, then runs <paramref name="handle"/>.</summary>
    private static async Task<IResult> HandleAsync(HttpContext context, string sandboxId, string[] required, Func<HttpContext, string, GitRequest, string, Task<IResult>> handle)
    {
        var (body, invalid) = await Body.ReadAsync<GitRequest>(context, ErrorStyle.Toolbox).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var missing = new[] { "path" }.Concat(required).Where(field => field switch
        {
            "path" => string.IsNullOrWhiteSpace(body!.Path),
            "url" => string.IsNullOrWhiteSpace(body!.Url),
            "files" => body!.Files is null || body.Files.Count == 0,
            "message" => string.IsNullOrEmpty(body!.Message),
            "author" => string.IsNullOrWhiteSpace(body!.Author),
            "email" => string.IsNullOrWhiteSpace(body!.Email),
            "branch" => string.IsNullOrWhiteSpace(body!.Branch),
            "name" => string.IsNullOrWhiteSpace(body!.Name),
            _ => false,
        }).ToList();
        return missing.Count > 0
            ? Errors.Toolbox(context, 400, $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} required")
            : await handle(context, sandboxId, body!, ToolboxPaths.Resolve(body!.Path)).ConfigureAwait(false);
    }

    private static Task<IResult> BranchAsync(HttpContext context, ISandboxProvider provider, string sandboxId, string path, string name, string[] gitArguments, int successStatus) =>
        IsOptionLike(name)
            ? Task.FromResult(Errors.Toolbox(context, 400, $"'{name}' is not a valid branch name"))
            : RunGitAsync(context, provider, sandboxId, path, gitArguments, successStatus);

    /// <summary>
    /// Daytona's checkout: an existing local branch, else a commit (detached HEAD) when the name looks like a hash,
    /// else 404. The provider's checkout creates missing branches, which would turn a commit hash into a new branch
    /// at HEAD and a typo into a silent success.
    /// </summary>
    private static async Task<IResult> CheckoutAsync(HttpContext context, ISandboxProvider provider, string sandboxId, string path, string branch)
    {
        if (IsOptionLike(branch))
        {
            return Errors.Toolbox(context, 400, $"'{branch}' is not a valid branch or commit");
        }

        var branches = await provider.Git.BranchesAsync(sandboxId, path, context.RequestAborted).ConfigureAwait(false);
        if (!branches.Succeeded)
        {
            return Failed(context, branches.Error);
        }

        if (branches.Value.Contains(branch, StringComparer.Ordinal))
        {
            var switched = await provider.Git.CheckoutAsync(sandboxId, path, branch, context.RequestAborted).ConfigureAwait(false);
            return switched.Succeeded ? Results.Ok() : Failed(context, switched.Error);
        }

        var notFound = Errors.Toolbox(context, 404, $"branch or commit '{branch}' not found", "GIT_BRANCH_NOT_FOUND");
        if (!IsCommitHash(branch))
        {
            return notFound;
        }

        var commit = await ExecGitAsync(context, provider, sandboxId, path, ["rev-parse", "--verify", "--quiet", branch + "^{commit}"]).ConfigureAwait(false);
        if (!commit.Succeeded)
        {
            return Failed(context, commit.Error);
        }

        return commit.Value.ExitCode != 0
            ? notFound
            : await RunGitAsync(context, provider, sandboxId, path, ["checkout", "--detach", commit.Value.Stdout.Trim()], StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>Runs git in the sandbox with argv and maps its failure messages to Daytona's codes.</summary>
    private static async Task<IResult> RunGitAsync(HttpContext context, ISandboxProvider provider, string sandboxId, string path, string[] gitArguments, int successStatus)
    {
        var ran = await ExecGitAsync(context, provider, sandboxId, path, gitArguments).ConfigureAwait(false);
        if (!ran.Succeeded)
        {
            return Failed(context, ran.Error);
        }

        if (ran.Value.ExitCode != 0)
        {
            var output = (ran.Value.Stderr + ran.Value.Stdout).Trim();
            var message = output.Length == 0 ? $"git {string.Join(' ', gitArguments)} failed" : output;
            return Classify(output) is { } known
                ? Errors.Toolbox(context, known.Status, message, known.Code)
                : output.Contains("already exists", StringComparison.Ordinal)
                    ? Errors.Toolbox(context, 409, message, "GIT_BRANCH_EXISTS")
                    : output.Contains("not found", StringComparison.Ordinal)
                        ? Errors.Toolbox(context, 404, message, "GIT_BRANCH_NOT_FOUND")
                        : Errors.Toolbox(context, 400, message);
        }

        return Results.StatusCode(successStatus);
    }

    private static ValueTask<SandboxResult<ExecResult>> ExecGitAsync(HttpContext context, ISandboxProvider provider, string sandboxId, string path, string[] gitArguments) =>
        provider.Process.ExecAsync(sandboxId, new ExecRequest { Command = ["git", .. gitArguments], WorkingDirectory = path }, context.RequestAborted);

    // A leading '-' would reach git as an option; whitespace is never part of a ref name.
    /// <summary>Whether <paramref name="text"/> looks like an abbreviated or full commit hash.</summary>
    private static bool IsCommitHash(string text) => text.Length is >= 4 and <= 64 && text.All(char.IsAsciiHexDigit);

    private static bool IsOptionLike(string name) => name.StartsWith('-') || name.Any(char.IsWhiteSpace);

    /// <summary>
    /// The daemon's status and code for a git failure message (it classifies git's output the same way), or
    /// <see langword="null"/> when none applies.
    /// </summary>
    private static (int Status, string Code)? Classify(string message) =>
        message.Contains("not a git repository", StringComparison.OrdinalIgnoreCase) ? (StatusCodes.Status404NotFound, "GIT_REPO_NOT_FOUND")
        : message.Contains("would be overwritten", StringComparison.OrdinalIgnoreCase) || message.Contains("commit your changes or stash them", StringComparison.OrdinalIgnoreCase)
            ? (StatusCodes.Status409Conflict, "GIT_DIRTY_WORKTREE")
        : message.Contains("non-fast-forward", StringComparison.OrdinalIgnoreCase) || message.Contains("updates were rejected", StringComparison.OrdinalIgnoreCase)
            ? (StatusCodes.Status409Conflict, "GIT_PUSH_REJECTED")
        : null;

    /// <summary>A provider error; git failures the daemon classifies (no repository, dirty worktree, rejected push) keep its status instead of a 500.</summary>
    /// <summary>
    /// <c>allow_empty</c>: the provider's commit refuses an empty one, so git runs in the sandbox with argv, the
    /// identity as <c>-c</c> values and the message on stdin (never on a command line a shell reads).
    /// </summary>
    private static async Task<IResult> CommitAllowingEmptyAsync(HttpContext context, ISandboxProvider provider, string sandboxId, string path, GitRequest body)
    {
        var commit = await provider.Process.ExecAsync(sandboxId, new ExecRequest
        {
            Command = ["git", "-c", "user.name=" + body.Author, "-c", "user.email=" + body.Email, "commit", "--allow-empty", "--quiet", "--file=-"],
            WorkingDirectory = path,
            StandardInput = body.Message,
        }, context.RequestAborted).ConfigureAwait(false);
        if (!commit.Succeeded)
        {
            return Failed(context, commit.Error);
        }

        if (commit.Value.ExitCode != 0)
        {
            var output = (commit.Value.Stderr + commit.Value.Stdout).Trim();
            return output.Contains("not a git repository", StringComparison.OrdinalIgnoreCase)
                ? Errors.Toolbox(context, 404, output, "GIT_REPO_NOT_FOUND")
                : Errors.Toolbox(context, 400, output.Length == 0 ? "git commit --allow-empty failed" : output);
        }

        var head = await provider.Process.ExecAsync(sandboxId, new ExecRequest { Command = ["git", "rev-parse", "HEAD"], WorkingDirectory = path }, context.RequestAborted).ConfigureAwait(false);
        return head.Succeeded && head.Value.ExitCode == 0
            ? Results.Json(new { hash = head.Value.Stdout.Trim() }, ServerJson.Options)
            : Errors.Toolbox(context, 500, "the commit was made but its hash could not be read");
    }

    private static IResult Failed(HttpContext context, SandboxError error) =>
        error.Kind == SandboxErrorKind.Failed && Classify(error.Message) is { } known
            ? Errors.Toolbox(context, known.Status, error.Message, known.Code)
            : Errors.Toolbox(context, error, "GIT_REPO_NOT_FOUND");
}
