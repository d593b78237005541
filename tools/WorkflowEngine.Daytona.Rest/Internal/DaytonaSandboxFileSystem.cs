using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Files through the toolbox's <c>/files</c> routes. Paths are mapped by <see cref="SandboxPaths"/> (relative to the
/// sandbox working directory). Reads (list, info) are retried on transient failures; nothing that changes files is.
/// Transfers go through the multipart bulk routes as Daytona's SDKs do (<see cref="BulkFileTransfer"/>): uploads
/// <c>POST /files/bulk-upload</c>, downloads <c>POST /files/bulk-download</c>; both stream, and neither is retried.
/// </summary>
internal sealed class DaytonaSandboxFileSystem(DaytonaSandboxProvider provider) : ISandboxFileSystem
{
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

        // No info call first: the download refuses a file whose declared length, or whose bytes so far, pass the limit.
        using var buffer = new MemoryStream();
        var downloaded = await DownloadAsync(sandbox, mapped.Value, buffer, provider.Options.MaxReadBytes, cancellationToken).ConfigureAwait(false);
        return downloaded.Succeeded ? buffer.ToArray() : downloaded.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<FileEntry>> WriteAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        using var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
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

        var uploaded = await UploadAsync(sandbox, mapped.Value, content, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// <c>POST /files/bulk-upload</c> with the path part before the file part, the file streamed from
    /// <paramref name="content"/>. Sent once (an upload is not safe to repeat); a 400 lists the daemon's errors.
    /// </summary>
    private async Task<SandboxResult<Unit>> UploadAsync(string sandbox, (string Daemon, string Contract) path, Stream content, CancellationToken cancellationToken)
    {
        var target = await provider.ResolveToolboxAsync(sandbox, cancellationToken).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        var operation = $"upload {path.Contract} in sandbox {sandbox}";
        var url = DaytonaSandboxProvider.ToolboxUri(target.Value, BulkFileTransfer.UploadRoute);
        using var body = BulkFileTransfer.UploadContent(path.Daemon, content);
        return await provider.Http.SendAsync<Unit>(
            operation,
            () => new RestRequest(url, Method.Post)
            {
                Timeout = provider.Options.FileTransferTimeout,
                Interceptors = [new RequestContentInterceptor(body)],
            },
            safe: false,
            cancellationToken,
            Rejected).ConfigureAwait(false);

        // The daemon lists what went wrong per file (mkdir, create, write) in a 400 {errors: [...]}.
        SandboxResult<Unit>? Rejected(RestResponse response)
        {
            if (response.StatusCode == HttpStatusCode.BadRequest && BulkFileTransfer.UploadErrors(response.Content) is { } errors)
            {
                return SandboxResult<Unit>.Fail(SandboxErrorKind.Failed, $"Failed to {operation}: the toolbox could not write it: {errors} (HTTP 400)");
            }

            return null;
        }
    }

    /// <summary>
    /// <c>POST /files/bulk-download</c> for one path; the multipart answer is parsed as it arrives and the file part
    /// copied to <paramref name="destination"/> in chunks. <see cref="DaytonaOptions.FileTransferTimeout"/> bounds
    /// the whole transfer, body included.
    /// </summary>
    private async Task<SandboxResult<Unit>> DownloadAsync(string sandbox, (string Daemon, string Contract) path, Stream destination, long? limit, CancellationToken cancellationToken)
    {
        var target = await provider.ResolveToolboxAsync(sandbox, cancellationToken).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        var operation = $"download {path.Contract} in sandbox {sandbox}";
        var timeout = provider.Options.FileTransferTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var capture = new ResponseCaptureInterceptor();
        var request = DaytonaHttp.WithJson(
            new RestRequest(DaytonaSandboxProvider.ToolboxUri(target.Value, BulkFileTransfer.DownloadRoute), Method.Post)
            {
                // The deadline above is the one limit, so that running out of time always reads as a timeout.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
                Interceptors = [capture],
            },
            new BulkDownloadRequestDto { Paths = [path.Daemon] });
        try
        {
            var body = await provider.Http.DownloadStreamAsync(request, deadline.Token).ConfigureAwait(false);
            var response = capture.Response;
            if (body is null)
            {
                if (response is null)
                {
                    return SandboxResult<Unit>.Fail(
                        SandboxErrorKind.Connection,
                        $"Failed to {operation}: no answer from the toolbox at {target.Value.ToolboxProxyUrl}");
                }

                string? text;
                try
                {
                    text = await BulkFileTransfer.ReadTextAsync(
                        await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false), deadline.Token).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The error body broke off; the status still says what happened.
                    text = null;
                }

                return DaytonaErrors.From(operation, response.StatusCode, DaytonaErrors.MessageOf(text) ?? response.ReasonPhrase ?? $"HTTP {(int)response.StatusCode}");
            }

            await using (body.ConfigureAwait(false))
            {
                var received = await BulkFileTransfer.ReceiveAsync(
                    body, response?.Content.Headers.ContentType, destination, limit, operation, path.Contract, deadline.Token).ConfigureAwait(false);
                return received.Succeeded ? Unit.Value : received.Error;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            return SandboxResult<Unit>.Fail(SandboxErrorKind.Timeout, $"Failed to {operation}: the transfer took longer than {timeout} (FileTransferTimeout)");
        }
        finally
        {
            // Releases the connection, also when the body was not read to the end (a limit, an error, cancellation).
            capture.Response?.Dispose();
        }
    }

    private static FileEntry ToEntry(FileInfoDto info, string contractPath)
    {
        var name = string.IsNullOrEmpty(info.Name) ? contractPath[(contractPath.LastIndexOf('/') + 1)..] : info.Name;
        var modified = DateTimeOffset.TryParse(info.ModifiedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.UnixEpoch;
        var mode = (info.Permissions ?? "").TrimStart('0');
        return new FileEntry(contractPath, name, info.IsDir, info.IsDir ? 0 : info.Size, modified, mode.Length == 0 ? "0" : mode);
    }
}
