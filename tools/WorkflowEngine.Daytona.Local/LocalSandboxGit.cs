using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WorkflowEngine.Daytona.Local.Isolation;
using WorkflowEngine.Daytona.Local.Storage;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>
/// Git in local sandboxes. Commands run inside the sandbox as argument vectors. A local repository (a path or
/// <c>file://</c> URL beneath <see cref="LocalSandboxOptions.GitRoots"/>) is bound into the sandbox at
/// <c>/mnt/git/&lt;hash&gt;</c> only for the one command that needs it: read-only for clone and pull, writable for a
/// push to that very repository; other commands get no host folder. Remote URLs are cloned inside the sandbox, so
/// only a sandbox with network can clone them: nothing is fetched over the host's network on a sandbox's behalf.
/// </summary>
internal sealed class LocalSandboxGit(LocalRuntime runtime) : ISandboxGit
{
    private const string MountRoot = "/mnt/git/";

    // Settings sandboxed code could have planted in the repository's config (hooks, fsmonitor, signing programs, other
    // transports) are overridden whenever a host repository is bound, so that nothing it wrote runs while it is.
    private static readonly string[] BoundOverrides =
    [
        "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "push.gpgSign=false", "-c", "credential.helper=",
        "-c", "protocol.allow=never", "-c", "protocol.file.allow=always", "-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never",
    ];

    private readonly HostPathPolicy _roots = new(
        runtime.Options.GitRoots ?? [Directory.GetCurrentDirectory()],
        [runtime.Options.DataDirectory],
        "add a folder holding it to the git roots (LocalSandboxOptions.GitRoots, `wfe serve --git-root PATH`, git_roots in tools.yaml)");

    public async ValueTask<SandboxResult<string>> CloneAsync(string sandbox, string url, string path, string? branch = null, CancellationToken cancellationToken = default)
    {
        var found = runtime.FindRunning(sandbox);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var record = found.Value;
        if (GitUrl.Problem(url) is { } problem)
        {
            return Invalid(problem);
        }

        if (branch is not null && (branch.StartsWith('-') || branch.Any(char.IsWhiteSpace)))
        {
            return Invalid($"'{branch}' is not a valid branch name.");
        }

        var target = WorkspacePaths.Resolve(runtime.Layout.Workspace(record.Id), string.IsNullOrWhiteSpace(path) ? WorkspacePaths.Root : path);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        var (host, inside) = target.Value;
        if (Directory.Exists(host) && Directory.EnumerateFileSystemEntries(host).Any())
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.Conflict, $"'{inside}' is not empty; clone into a new folder.");
        }

        List<string> branchArgs = branch is null ? [] : ["--branch", branch];
        if (GitUrl.LocalPath(url) is { } localPath)
        {
            var repository = _roots.Resolve(localPath);
            if (!repository.Succeeded)
            {
                return Invalid($"Repository {repository.Error.Message}");
            }

            if (!Directory.Exists(repository.Value))
            {
                return SandboxResult<string>.Fail(SandboxErrorKind.NotFound, $"Repository '{localPath}' does not exist on this machine.");
            }

            // Bound for this clone only, and remembered (as a repository pull and push may reach) only once it succeeded.
            var mount = MountOf(repository.Value);
            var cloned = await GitAsync(record, [.. BoundOverrides, "clone", "--no-recurse-submodules", .. branchArgs, "--", mount, inside], WorkspacePaths.Root, cancellationToken,
                new Bind(repository.Value, mount, false));
            if (cloned.Succeeded)
            {
                Remember(record, repository.Value, mount);
            }

            return cloned;
        }

        if (!runtime.SpecOf(record).Network)
        {
            return Invalid($"Cannot clone {url}: the sandbox has no network, and nothing is fetched over the host's network on its behalf. "
                + "Create a sandbox with network (network: true in create_sandbox; networkBlockAll: false on a `wfe serve --allow-network`), "
                + "or clone a local repository beneath the git roots.");
        }

        return await GitAsync(record, ["-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never", "clone", "--no-recurse-submodules", .. branchArgs, "--", url, inside], WorkspacePaths.Root, cancellationToken);
    }

    public async ValueTask<SandboxResult<GitStatus>> StatusAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var result = await RepositoryGitAsync(sandbox, path, ["status", "--porcelain=v1", "--branch"], cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            return result.Error;
        }

        var lines = result.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines.FirstOrDefault(l => l.StartsWith("## ", StringComparison.Ordinal)) ?? "## HEAD";
        var branch = header[3..].Split("...")[0].Replace("No commits yet on ", "", StringComparison.Ordinal).Trim();
        return new GitStatus(branch, Count(header, "ahead "), Count(header, "behind "), lines.Where(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList());
    }

    public ValueTask<SandboxResult<string>> AddAsync(string sandbox, string path, IReadOnlyList<string> files, CancellationToken cancellationToken = default) =>
        RepositoryGitAsync(sandbox, path, files.Count == 0 ? ["add", "--all"] : ["add", "--", .. files], cancellationToken: cancellationToken);

    public async ValueTask<SandboxResult<string>> CommitAsync(string sandbox, string path, string message, string? author = null, string? email = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(message))
        {
            return Invalid("A commit message is required.");
        }

        List<string> args = ["commit", "--file=-"];
        if (author is not null || email is not null)
        {
            args.Add($"--author={author ?? "Sandbox"} <{email ?? "sandbox@wfe.local"}>");
        }

        // The message travels on standard input, byte for byte: quotes, $(), backticks and newlines stay as written.
        var committed = await RepositoryGitAsync(sandbox, path, [.. args, "--cleanup=verbatim"], input: message, cancellationToken: cancellationToken);
        if (!committed.Succeeded)
        {
            return committed;
        }

        var hash = await RepositoryGitAsync(sandbox, path, ["rev-parse", "HEAD"], cancellationToken: cancellationToken);
        return hash.Succeeded ? hash.Value.Trim() : hash;
    }

    public async ValueTask<SandboxResult<string>> PushAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var remote = await RemoteAsync(sandbox, path, push: true, cancellationToken);
        if (!remote.Succeeded)
        {
            return remote.Error;
        }

        var (name, hasUpstream, bind) = remote.Value;
        string[] args = hasUpstream ? ["push", name] : ["push", "--set-upstream", name, "HEAD"];

        // The one repository pushed to is writable, for this command only; the receiving program is git's own.
        return bind is { } repository
            ? await RepositoryGitAsync(sandbox, path, [.. BoundOverrides, args[0], "--receive-pack=git-receive-pack", .. args[1..]], repository with { Writable = true }, cancellationToken: cancellationToken)
            : await RepositoryGitAsync(sandbox, path, args, cancellationToken: cancellationToken);
    }

    public async ValueTask<SandboxResult<string>> PullAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var remote = await RemoteAsync(sandbox, path, push: false, cancellationToken);
        if (!remote.Succeeded)
        {
            return remote.Error;
        }

        return remote.Value.Bind is { } repository
            ? await RepositoryGitAsync(sandbox, path, [.. BoundOverrides, "pull", "--ff-only", "--upload-pack=git-upload-pack"], repository, cancellationToken: cancellationToken)
            : await RepositoryGitAsync(sandbox, path, ["pull", "--ff-only"], cancellationToken: cancellationToken);
    }

    public async ValueTask<SandboxResult<string>> CheckoutAsync(string sandbox, string path, string branch, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(branch) || branch.StartsWith('-'))
        {
            return Invalid($"'{branch}' is not a valid branch name.");
        }

        var exists = await RepositoryGitAsync(sandbox, path, ["rev-parse", "--verify", "--quiet", "refs/heads/" + branch], cancellationToken: cancellationToken);
        string[] args = exists.Succeeded ? ["checkout", branch] : ["checkout", "-b", branch];
        return await RepositoryGitAsync(sandbox, path, args, cancellationToken: cancellationToken);
    }

    public async ValueTask<SandboxResult<IReadOnlyList<string>>> BranchesAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var result = await RepositoryGitAsync(sandbox, path, ["branch", "--format=%(refname:short)"], cancellationToken: cancellationToken);
        return result.Succeeded
            ? SandboxResult<IReadOnlyList<string>>.Ok(result.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            : result.Error;
    }

    public async ValueTask<SandboxResult<IReadOnlyList<GitCommit>>> LogAsync(string sandbox, string path, int limit = 20, CancellationToken cancellationToken = default)
    {
        var result = await RepositoryGitAsync(sandbox, path, ["log", $"--max-count={Math.Clamp(limit, 1, 1000)}", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e"], cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            return result.Error;
        }

        IReadOnlyList<GitCommit> commits = result.Value.Split('\x1e', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.TrimStart('\n').Split('\x1f'))
            .Where(fields => fields.Length == 5)
            .Select(f => new GitCommit(f[0], f[1], f[2], DateTimeOffset.Parse(f[3], CultureInfo.InvariantCulture), f[4].TrimEnd('\n')))
            .ToList();
        return SandboxResult<IReadOnlyList<GitCommit>>.Ok(commits);
    }

    public async ValueTask<SandboxResult<string>> InitAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var found = runtime.FindRunning(sandbox);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var target = WorkspacePaths.Resolve(runtime.Layout.Workspace(found.Value.Id), string.IsNullOrWhiteSpace(path) ? WorkspacePaths.Root : path);
        return target.Succeeded ? await GitAsync(found.Value, ["init", "--", target.Value.Sandbox], WorkspacePaths.Root, cancellationToken) : target.Error;
    }

    private async ValueTask<SandboxResult<string>> RepositoryGitAsync(
        string sandbox, string path, IReadOnlyList<string> args, Bind? bind = null, string? input = null, CancellationToken cancellationToken = default)
    {
        var found = runtime.FindRunning(sandbox);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var directory = WorkspacePaths.Resolve(runtime.Layout.Workspace(found.Value.Id), string.IsNullOrWhiteSpace(path) ? WorkspacePaths.Root : path);
        if (!directory.Succeeded)
        {
            return directory.Error;
        }

        if (!Directory.Exists(directory.Value.Host))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.NotFound, $"Folder '{directory.Value.Sandbox}' does not exist.");
        }

        return await GitAsync(found.Value, args, directory.Value.Sandbox, cancellationToken, bind, input);
    }

    private async ValueTask<SandboxResult<string>> GitAsync(
        SandboxRecord record, IReadOnlyList<string> args, string workingDirectory, CancellationToken cancellationToken, Bind? bind = null, string? input = null)
    {
        IReadOnlyList<(string, string, bool)> mounts = bind is { } b ? [(b.HostPath, b.Mount, b.Writable)] : [];
        var environment = new Dictionary<string, string> { ["GIT_TERMINAL_PROMPT"] = "0", ["GIT_CONFIG_GLOBAL"] = "/etc/gitconfig" };
        var command = runtime.Command(record, ["/usr/bin/git", .. args], workingDirectory, environment, input: input, binds: mounts);
        var result = await runtime.Executor.RunAsync(command, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Error;
        }

        var output = result.Value.Stdout + result.Value.Stderr;
        return result.Value.ExitCode == 0
            ? output
            : SandboxResult<string>.Fail(SandboxErrorKind.Failed, $"git {args.First(a => a is not "-c" && !a.Contains('=', StringComparison.Ordinal))} failed (exit {result.Value.ExitCode}): {output.Trim()}");
    }

    /// <summary>
    /// The remote a pull or push of the repository at <paramref name="path"/> uses, whether its branch has an upstream, and the
    /// host repository to bind for it: only when every URL of that remote is the mount of a repository this sandbox cloned,
    /// and that repository is still beneath the git roots. The URLs are the sandbox's own text, so they are only looked up
    /// in the remembered clones, never taken as host paths.
    /// </summary>
    private async ValueTask<SandboxResult<(string Name, bool HasUpstream, Bind? Bind)>> RemoteAsync(string sandbox, string path, bool push, CancellationToken cancellationToken)
    {
        string upstream = "", pushRemote = "";
        var head = await RepositoryGitAsync(sandbox, path, ["symbolic-ref", "--quiet", "HEAD"], cancellationToken: cancellationToken);
        if (head.Succeeded)
        {
            var names = await RepositoryGitAsync(sandbox, path, ["for-each-ref", "--format=%(upstream:remotename)%00%(push:remotename)", head.Value.Trim()], cancellationToken: cancellationToken);
            if (!names.Succeeded)
            {
                return names.Error;
            }

            var fields = names.Value.TrimEnd('\n').Split('\0');
            (upstream, pushRemote) = (fields[0], fields.Length > 1 ? fields[1] : "");
        }

        var name = (push && pushRemote.Length > 0 ? pushRemote : upstream) is { Length: > 0 } chosen ? chosen : "origin";
        if (name.StartsWith('-'))
        {
            return SandboxResult<(string, bool, Bind?)>.Fail(SandboxErrorKind.InvalidArgument, $"'{name}' is not a valid remote name; rename the remote with `git remote rename`.");
        }

        var urls = await RepositoryGitAsync(sandbox, path, push ? ["remote", "get-url", "--push", "--all", name] : ["remote", "get-url", "--all", name], cancellationToken: cancellationToken);
        if (!urls.Succeeded)
        {
            return urls.Error;
        }

        var remembered = Mounts(runtime.Store.Find(sandbox)!).ToDictionary(m => m.Value, m => m.Key, StringComparer.Ordinal);
        var mounts = urls.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => (url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? url["file://".Length..] : url).TrimEnd('/'))
            .Where(remembered.ContainsKey)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (mounts.Count == 0)
        {
            return (name, upstream.Length > 0, null);
        }

        if (mounts.Count > 1)
        {
            return SandboxResult<(string, bool, Bind?)>.Fail(SandboxErrorKind.InvalidArgument,
                $"The remote '{name}' has URLs of {mounts.Count} local repositories; a {(push ? "push" : "pull")} binds one. Keep one URL with `git remote set-url`.");
        }

        // Checked again now: the roots or the links on the way may have changed since the clone.
        var repository = _roots.Resolve(remembered[mounts[0]]);
        return repository.Succeeded
            ? (name, upstream.Length > 0, new Bind(repository.Value, mounts[0], false))
            : SandboxResult<(string, bool, Bind?)>.Fail(SandboxErrorKind.InvalidArgument, $"The remote '{name}' is a host repository this sandbox may no longer reach: {repository.Error.Message}");
    }

    /// <summary>Where a host repository appears in the sandbox: stable per host path, so a clone's origin URL stays valid.</summary>
    private static string MountOf(string hostPath) => MountRoot + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hostPath)))[..12];

    /// <summary>Records a repository the sandbox cloned: the only host repositories a later pull or push may bind.</summary>
    private void Remember(SandboxRecord record, string hostPath, string mount)
    {
        var mounts = Mounts(record);
        if (mounts.TryAdd(hostPath, mount))
        {
            runtime.Store.Update(runtime.Store.Find(record.Id)! with { GitMountsJson = JsonSerializer.Serialize(mounts, LocalJsonContext.Default.DictionaryStringString) });
        }
    }

    private Dictionary<string, string> Mounts(SandboxRecord record) =>
        JsonSerializer.Deserialize(runtime.Store.Find(record.Id)?.GitMountsJson ?? "{}", LocalJsonContext.Default.DictionaryStringString) ?? [];

    private static int Count(string header, string word)
    {
        var index = header.IndexOf(word, StringComparison.Ordinal);
        if (index < 0)
        {
            return 0;
        }

        var digits = new string(header[(index + word.Length)..].TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(digits, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    private static SandboxResult<string> Invalid(string message) => SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument, message);

    /// <summary>A host repository bound into one git command.</summary>
    private readonly record struct Bind(string HostPath, string Mount, bool Writable);
}
