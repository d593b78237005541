using System.Globalization;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Files through the toolbox's <c>/files</c> routes. Paths are mapped by <see cref="SandboxPaths"/> (relative to the
/// sandbox working directory). Reads (list, info) are retried on transient failures; nothing that changes files is.
/// Uploads use <c>POST /files/upload-v2</c> (multipart, streamed) and downloads <c>GET /files/download</c> (streamed).
/// </summary>
internal sealed class DaytonaSandboxFileSystem(DaytonaSandboxProvider provider) : ISandboxFileSystem
{
    private const string OctetStream = "application/octet-stream";

    /// <inheritdoc />
    public async ValueTask<SandboxResult<IReadOnlyList<FileEntry>>> ListAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var mapped = Prepare(sandbox, string.IsNullOrWhiteSpace(path) ? "." : path);
        if (!mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var (daemon, contract) = mapped.Value;
        var listed = await provider.ToolboxAsync<List<FileInfoDto>>(
            sandbox, $"list {contract}", "files", Method.Get, r => r.AddQueryParameter("path", daemon), safe: true, cancellationToken).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return listed.Error;
        }

        return listed.Value
            .Select(item => ToEntry(item, $"{contract}/{item.Name}"))
            .OrderBy(entry => entry.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc />
    public ValueTask<SandboxResult<FileEntry>> InfoAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var mapped = Prepare(sandbox, path);
        return mapped.Succeeded ? new ValueTask<SandboxResult<FileEntry>>(InfoAsync(sandbox, mapped.Value, cancellationToken)) : ValueTask.FromResult<SandboxResult<FileEntry>>(mapped.Error!);
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<byte[]>> ReadAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var mapped = Prepare(sandbox, path, allowRoot: false);
        if (!mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var info = await InfoAsync(sandbox, mapped.Value, cancellationToken).ConfigureAwait(false);
        if (!info.Succeeded)
        {
            return info.Error;
        }

        if (info.Value.IsDirectory)
        {
            return SandboxResult<byte[]>.Fail(SandboxErrorKind.InvalidArgument, $"'{info.Value.Path}' is a folder; list it instead.");
        }

        var limit = provider.Options.MaxReadBytes;
        if (info.Value.Size > limit)
        {
            return SandboxResult<byte[]>.Fail(
                SandboxErrorKind.LimitExceeded,
                $"'{info.Value.Path}' is {info.Value.Size} bytes, over the read limit of {limit} bytes; download it instead.");
        }

        using var buffer = new MemoryStream((int)Math.Max(0, info.Value.Size));
        var downloaded = await DownloadAsync(sandbox, mapped.Value, buffer, limit, cancellationToken).ConfigureAwait(false);
        return downloaded.Succeeded ? buffer.ToArray() : downloaded.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<FileEntry>> WriteAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return await UploadAsync(sandbox, path, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<FileEntry>> UploadAsync(string sandbox, string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var mapped = Prepare(sandbox, path, allowRoot: false);
        if (!mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var (daemon, contract) = mapped.Value;
        var fileName = daemon[(daemon.LastIndexOf('/') + 1)..];
        var uploaded = await provider.ToolboxAsync<Unit>(
            sandbox,
            $"upload {contract}",
            "files/upload-v2",
            Method.Post,
            request =>
            {
                request.Timeout = provider.Options.FileTransferTimeout;
                request.AlwaysMultipartFormData = true;
                request.AddQueryParameter("path", daemon);
                request.AddFile("file", () => new NonDisposingStream(content), fileName, OctetStream);
            },
            safe: false,
            cancellationToken).ConfigureAwait(false);
        return uploaded.Succeeded ? await InfoAsync(sandbox, mapped.Value, cancellationToken).ConfigureAwait(false) : uploaded.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<Unit>> DownloadAsync(string sandbox, string path, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var mapped = Prepare(sandbox, path, allowRoot: false);
        return mapped.Succeeded
            ? await DownloadAsync(sandbox, mapped.Value, destination, null, cancellationToken).ConfigureAwait(false)
            : mapped.Error!;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var mapped = Prepare(sandbox, path, allowRoot: false);
        if (!mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var (daemon, contract) = mapped.Value;
        return await provider.ToolboxAsync<Unit>(
            sandbox,
            $"delete {contract}",
            "files",
            Method.Delete,
            r => r.AddQueryParameter("path", daemon).AddQueryParameter("recursive", "true"),
            safe: false,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<FileEntry>> CreateDirectoryAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var mapped = Prepare(sandbox, path, allowRoot: false);
        if (!mapped.Succeeded)
        {
            return mapped.Error!;
        }

        var (daemon, contract) = mapped.Value;
        var created = await provider.ToolboxAsync<Unit>(
            sandbox,
            $"create folder {contract}",
            "files/folder",
            Method.Post,
            r => r.AddQueryParameter("path", daemon).AddQueryParameter("mode", "755"),
            safe: false,
            cancellationToken).ConfigureAwait(false);
        return created.Succeeded ? await InfoAsync(sandbox, mapped.Value, cancellationToken).ConfigureAwait(false) : created.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<FileEntry>> MoveAsync(string sandbox, string source, string destination, CancellationToken cancellationToken = default)
    {
        var from = Prepare(sandbox, source, allowRoot: false);
        if (!from.Succeeded)
        {
            return from.Error!;
        }

        var to = Prepare(sandbox, destination, allowRoot: false);
        if (!to.Succeeded)
        {
            return to.Error!;
        }

        var moved = await provider.ToolboxAsync<Unit>(
            sandbox,
            $"move {from.Value.Contract} to {to.Value.Contract}",
            "files/move",
            Method.Post,
            r => r.AddQueryParameter("source", from.Value.Daemon).AddQueryParameter("destination", to.Value.Daemon),
            safe: false,
            cancellationToken).ConfigureAwait(false);
        return moved.Succeeded ? await InfoAsync(sandbox, to.Value, cancellationToken).ConfigureAwait(false) : moved.Error;
    }

    private SandboxResult<(string Daemon, string Contract)> Prepare(string sandbox, string path, bool allowRoot = true) =>
        provider.Check(sandbox) is { } error ? error : SandboxPaths.Map(path, allowRoot);

    private async Task<SandboxResult<FileEntry>> InfoAsync(string sandbox, (string Daemon, string Contract) path, CancellationToken cancellationToken)
    {
        var info = await provider.ToolboxAsync<FileInfoDto>(
            sandbox, $"get info of {path.Contract}", "files/info", Method.Get, r => r.AddQueryParameter("path", path.Daemon), safe: true, cancellationToken).ConfigureAwait(false);
        return info.Succeeded ? ToEntry(info.Value, path.Contract) : info.Error;
    }

    private async Task<SandboxResult<Unit>> DownloadAsync(string sandbox, (string Daemon, string Contract) path, Stream destination, long? limit, CancellationToken cancellationToken)
    {
        var target = await provider.ResolveToolboxAsync(sandbox, cancellationToken).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        var request = new RestRequest(DaytonaSandboxProvider.ToolboxUri(target.Value, "files/download"), Method.Get)
        {
            Timeout = provider.Options.FileTransferTimeout,
        }.AddQueryParameter("path", path.Daemon);
        var body = await provider.Http.DownloadStreamAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            // The stream API drops the status: ask for the file's info to say why (missing, a folder, no connection).
            var info = await InfoAsync(sandbox, path, cancellationToken).ConfigureAwait(false);
            if (!info.Succeeded)
            {
                return info.Error;
            }

            return info.Value.IsDirectory
                ? SandboxResult<Unit>.Fail(SandboxErrorKind.InvalidArgument, $"Failed to download {path.Contract} in sandbox {sandbox}: it is a folder")
                : SandboxResult<Unit>.Fail(SandboxErrorKind.Failed, $"Failed to download {path.Contract} in sandbox {sandbox}: the toolbox refused the download");
        }

        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (limit is { } max && total > max)
                {
                    return SandboxResult<Unit>.Fail(SandboxErrorKind.LimitExceeded, $"'{path.Contract}' grew over the read limit of {max} bytes; download it instead.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }

        return Unit.Value;
    }

    private static FileEntry ToEntry(FileInfoDto info, string contractPath)
    {
        var name = string.IsNullOrEmpty(info.Name) ? contractPath[(contractPath.LastIndexOf('/') + 1)..] : info.Name;
        var modified = DateTimeOffset.TryParse(info.ModifiedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.UnixEpoch;
        var mode = (info.Permissions ?? "").TrimStart('0');
        return new FileEntry(contractPath, name, info.IsDir, info.IsDir ? 0 : info.Size, modified, mode.Length == 0 ? "0" : mode);
    }
}
