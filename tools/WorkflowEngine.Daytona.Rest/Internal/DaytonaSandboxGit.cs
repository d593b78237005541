using System.Globalization;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Git through the toolbox's <c>/git</c> routes. Every value (URL, branch, message, author) travels as its own JSON
/// field; nothing is put into a shell string. Reads (status, branches, history) are retried on transient failures.
/// </summary>
internal sealed class DaytonaSandboxGit(DaytonaSandboxProvider provider) : ISandboxGit
{
    /// <summary>The author used when a commit names none (the daemon requires one).</summary>
    public const string DefaultAuthor = "WorkflowEngine";

    /// <summary>The e-mail used when a commit names none.</summary>
    public const string DefaultEmail = "workflow-engine@localhost";

    /// <inheritdoc />
    public async ValueTask<SandboxResult<string>> CloneAsync(string sandbox, string url, string path, string? branch = null, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        if (string.IsNullOrWhiteSpace(url))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument, "a repository URL is required");
        }

        var body = new GitRequestDto { Path = mapped.Value.Daemon, Url = url, Branch = string.IsNullOrWhiteSpace(branch) ? null : branch };
        var cloned = await PostAsync(sandbox, $"clone {url} into {mapped.Value.Contract}", "git/clone", body, cancellationToken).ConfigureAwait(false);
        return cloned.Succeeded
            ? $"Cloned {url}{(body.Branch is null ? "" : $" ({body.Branch})")} into {mapped.Value.Contract}"
            : cloned.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<GitStatus>> StatusAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var status = await GetAsync<GitStatusDto>(sandbox, $"get git status of {mapped.Value.Contract}", "git/status", mapped.Value.Daemon, cancellationToken).ConfigureAwait(false);
        if (!status.Succeeded)
        {
            return status.Error;
        }

        var value = status.Value;
        var files = (value.FileStatus ?? [])
            .Where(f => !string.IsNullOrEmpty(f.Name))
            .Select(f => $"{Code(f.Staging)}{Code(f.Worktree)} {f.Name}")
            .OrderBy(line => line[3..], StringComparer.Ordinal)
            .ToList();
        return new GitStatus(value.CurrentBranch ?? "", value.Ahead ?? 0, value.Behind ?? 0, files);
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<string>> AddAsync(string sandbox, string path, IReadOnlyList<string> files, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var list = files is null || files.Count == 0 ? ["."] : files.ToList();
        if (list.Any(f => string.IsNullOrEmpty(f) || f.Split('/').Contains("..")))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument, "file names must be non-empty and must not contain '..'");
        }

        var added = await PostAsync(sandbox, $"git add in {mapped.Value.Contract}", "git/add", new GitRequestDto { Path = mapped.Value.Daemon, Files = list }, cancellationToken).ConfigureAwait(false);
        return added.Succeeded ? $"Staged {string.Join(", ", list)}" : added.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<string>> CommitAsync(string sandbox, string path, string message, string? author = null, string? email = null, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument, "a commit message is required");
        }

        var body = new GitRequestDto
        {
            Path = mapped.Value.Daemon,
            Message = message,
            Author = string.IsNullOrWhiteSpace(author) ? DefaultAuthor : author,
            Email = string.IsNullOrWhiteSpace(email) ? DefaultEmail : email,
        };
        var committed = await provider.ToolboxAsync<GitCommitResponseDto>(
            sandbox, $"git commit in {mapped.Value.Contract}", "git/commit", Method.Post, r => DaytonaHttp.WithJson(r, body), safe: false, cancellationToken).ConfigureAwait(false);
        if (!committed.Succeeded)
        {
            return committed.Error;
        }

        return string.IsNullOrEmpty(committed.Value.Hash)
            ? SandboxResult<string>.Fail(SandboxErrorKind.Failed, $"Failed to git commit in {mapped.Value.Contract} in sandbox {sandbox}: the response had no hash")
            : committed.Value.Hash;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<string>> PushAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var pushed = await PostAsync(sandbox, $"git push in {mapped.Value.Contract}", "git/push", new GitRequestDto { Path = mapped.Value.Daemon }, cancellationToken).ConfigureAwait(false);
        return pushed.Succeeded ? "Pushed" : pushed.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<string>> PullAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var pulled = await PostAsync(sandbox, $"git pull in {mapped.Value.Contract}", "git/pull", new GitRequestDto { Path = mapped.Value.Daemon }, cancellationToken).ConfigureAwait(false);
        return pulled.Succeeded ? "Pulled" : pulled.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<string>> CheckoutAsync(string sandbox, string path, string branch, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        if (string.IsNullOrWhiteSpace(branch))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument, "a branch name is required");
        }

        var branches = await BranchesAsync(sandbox, path, cancellationToken).ConfigureAwait(false);
        if (!branches.Succeeded)
        {
            return branches.Error;
        }

        var created = false;
        if (!branches.Value.Contains(branch, StringComparer.Ordinal))
        {
            var create = await PostAsync(sandbox, $"create branch {branch} in {mapped.Value.Contract}", "git/branches", new GitRequestDto { Path = mapped.Value.Daemon, Name = branch }, cancellationToken).ConfigureAwait(false);
            if (!create.Succeeded)
            {
                return create.Error;
            }

            created = true;
        }

        var switched = await PostAsync(sandbox, $"check out {branch} in {mapped.Value.Contract}", "git/checkout", new GitRequestDto { Path = mapped.Value.Daemon, Branch = branch }, cancellationToken).ConfigureAwait(false);
        return switched.Succeeded ? (created ? $"Switched to a new branch '{branch}'" : $"Switched to branch '{branch}'") : switched.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<IReadOnlyList<string>>> BranchesAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var listed = await GetAsync<BranchesDto>(sandbox, $"list branches of {mapped.Value.Contract}", "git/branches", mapped.Value.Daemon, cancellationToken).ConfigureAwait(false);
        return listed.Succeeded
            ? (listed.Value.Branches ?? []).OrderBy(b => b, StringComparer.Ordinal).ToList()
            : listed.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<IReadOnlyList<GitCommit>>> LogAsync(string sandbox, string path, int limit = 20, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var history = await GetAsync<List<GitCommitInfoDto>>(sandbox, $"get git history of {mapped.Value.Contract}", "git/history", mapped.Value.Daemon, cancellationToken).ConfigureAwait(false);
        if (!history.Succeeded)
        {
            return history.Error;
        }

        // The daemon returns the whole history newest first and takes no limit.
        return history.Value
            .Take(Math.Max(0, limit))
            .Select(c => new GitCommit(
                c.Hash ?? "",
                c.Author ?? "",
                c.Email ?? "",
                DateTimeOffset.TryParse(c.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.UnixEpoch,
                c.Message ?? ""))
            .ToList();
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<string>> InitAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        if (Prepare(sandbox, path) is var mapped && !mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var created = await PostAsync(sandbox, $"git init {mapped.Value.Contract}", "git/init", new GitRequestDto { Path = mapped.Value.Daemon }, cancellationToken).ConfigureAwait(false);
        return created.Succeeded ? $"Initialized empty Git repository in {mapped.Value.Contract}" : created.Error;
    }

    private SandboxResult<(string Daemon, string Contract)> Prepare(string sandbox, string path) =>
        provider.Check(sandbox) is { } error ? error : SandboxPaths.Map(string.IsNullOrWhiteSpace(path) ? "." : path);

    private Task<SandboxResult<Unit>> PostAsync(string sandbox, string operation, string route, GitRequestDto body, CancellationToken cancellationToken) =>
        provider.ToolboxAsync<Unit>(sandbox, operation, route, Method.Post, r => DaytonaHttp.WithJson(r, body), safe: false, cancellationToken);

    private Task<SandboxResult<T>> GetAsync<T>(string sandbox, string operation, string route, string path, CancellationToken cancellationToken) =>
        provider.ToolboxAsync<T>(sandbox, operation, route, Method.Get, r => r.AddQueryParameter("path", path), safe: true, cancellationToken);

    /// <summary>The porcelain letter of a daemon file status.</summary>
    private static char Code(string? status) => status switch
    {
        "Untracked" => '?',
        "Modified" => 'M',
        "Added" => 'A',
        "Deleted" => 'D',
        "Renamed" => 'R',
        "Copied" => 'C',
        "Updated but unmerged" => 'U',
        _ => ' ',
    };
}
