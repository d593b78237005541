using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WorkflowEngine.Daytona.Local.Isolation;
using WorkflowEngine.Daytona.Local.Storage;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>
/// Git in local sandboxes. Commands run inside the sandbox as argument vectors. Local repositories (a path
/// or <c>file://</c> URL) are bound into the sandbox at <c>/mnt/git/&lt;hash&gt;</c>: read-only for clone and
/// pull, writable for push. Remote URLs are cloned inside the sandbox when it has network, otherwise on the
/// host as the sandbox uid with hooks, <c>ext::</c> and submodules disabled.
/// </summary>
internal sealed class LocalSandboxGit(LocalRuntime runtime) : ISandboxGit
{
    public async ValueTask<SandboxResult<string>> CloneAsync(string sandbox, string url, string path, string? branch = null, CancellationToken cancellationToken = default)
    {
        var found = runtime.FindRunning(sandbox);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var record = found.Value;
        if (string.IsNullOrWhiteSpace(url) || url.StartsWith('-') || url.StartsWith("ext::", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid($"'{url}' is not a repository URL or path; give https://…, git@…, file://… or an absolute local path.");
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
        if (LocalRepository(url) is { } localPath)
        {
            if (!Directory.Exists(localPath))
            {
                return SandboxResult<string>.Fail(SandboxErrorKind.NotFound, $"Repository '{localPath}' does not exist on this machine.");
            }

            var mount = RememberMount(record, localPath);
            return await GitAsync(record, ["clone", "--no-recurse-submodules", .. branchArgs, "--", mount, inside], WorkspacePaths.Root, cancellationToken);
        }

        if (runtime.SpecOf(record).Network)
        {
            return await GitAsync(record, ["clone", "--no-recurse-submodules", .. branchArgs, "--", url, inside], WorkspacePaths.Root, cancellationToken);
        }

        return await CloneOnHostAsync(url, host, branchArgs, inside, cancellationToken);
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
        var upstream = await RepositoryGitAsync(sandbox, path, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], cancellationToken: cancellationToken);
        string[] args = upstream.Succeeded ? ["push"] : ["push", "--set-upstream", "origin", "HEAD"];
        return await RepositoryGitAsync(sandbox, path, args, writableRemotes: true, cancellationToken: cancellationToken);
    }

    public ValueTask<SandboxResult<string>> PullAsync(string sandbox, string path, CancellationToken cancellationToken = default) =>
        RepositoryGitAsync(sandbox, path, ["pull", "--ff-only"], cancellationToken: cancellationToken);

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
        string sandbox, string path, IReadOnlyList<string> args, bool writableRemotes = false, string? input = null, CancellationToken cancellationToken = default)
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

        return await GitAsync(found.Value, args, directory.Value.Sandbox, cancellationToken, writableRemotes, input);
    }

    private async ValueTask<SandboxResult<string>> GitAsync(
        SandboxRecord record, IReadOnlyList<string> args, string workingDirectory, CancellationToken cancellationToken, bool writableRemotes = false, string? input = null)
    {
        var mounts = Mounts(record)
            .Where(m => Directory.Exists(m.Key))
            .Select(m => (m.Key, m.Value, writableRemotes))
            .ToList();
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
            : SandboxResult<string>.Fail(SandboxErrorKind.Failed, $"git {args[0]} failed (exit {result.Value.ExitCode}): {output.Trim()}");
    }

    private async ValueTask<SandboxResult<string>> CloneOnHostAsync(string url, string host, List<string> branchArgs, string inside, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(host)!;
        if (!Directory.Exists(parent))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.NotFound, $"The folder above '{inside}' does not exist.");
        }

        // A fresh clone as the sandbox uid: no hooks, no ext:: or file:// transports, no submodules, no host config.
        List<string> args =
        [
            "-c", "protocol.ext.allow=never", "-c", "protocol.file.allow=never", "-c", "core.hooksPath=/dev/null",
            "clone", "--no-recurse-submodules", "--template=", .. branchArgs, "--", url, host,
        ];
        var info = new ProcessStartInfo(runtime.Uid >= 0 ? "/usr/bin/setpriv" : "/usr/bin/git")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (runtime.Uid >= 0)
        {
            foreach (var arg in new[] { $"--reuid={runtime.Uid}", $"--regid={runtime.Uid}", "--clear-groups", "/usr/bin/git" })
            {
                info.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        info.Environment["HOME"] = "/nonexistent";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = await ProcessSpawner.Shared.StartAsync(info);
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(runtime.Options.CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            return SandboxResult<string>.Fail(SandboxErrorKind.Timeout, $"Cloning {url} took longer than {runtime.Options.CommandTimeout.TotalSeconds} s.");
        }

        var text = string.Concat(await output);
        return process.ExitCode == 0
            ? text
            : SandboxResult<string>.Fail(SandboxErrorKind.Failed, $"git clone failed (exit {process.ExitCode}): {text.Trim()} The sandbox has no network; the clone ran on the host.");
    }

    private string RememberMount(SandboxRecord record, string hostPath)
    {
        var mounts = Mounts(record);
        if (!mounts.TryGetValue(hostPath, out var mount))
        {
            mount = "/mnt/git/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hostPath)))[..12];
            mounts[hostPath] = mount;
            runtime.Store.Update(record with { GitMountsJson = JsonSerializer.Serialize(mounts, LocalJsonContext.Default.DictionaryStringString) });
        }

        return mount;
    }

    private Dictionary<string, string> Mounts(SandboxRecord record) =>
        JsonSerializer.Deserialize(runtime.Store.Find(record.Id)?.GitMountsJson ?? "{}", LocalJsonContext.Default.DictionaryStringString) ?? [];

    private static string? LocalRepository(string url)
    {
        if (url.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFullPath(uri.LocalPath).TrimEnd('/') : null;
        }

        return url.StartsWith('/') ? Path.GetFullPath(url).TrimEnd('/') : null;
    }

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
}
