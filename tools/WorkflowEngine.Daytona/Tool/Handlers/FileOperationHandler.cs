using System.Text;
using Mediator;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool.Methods;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>
/// Handles <c>file_operation</c>. Host paths for upload and download must lie under <c>config.local_root</c>
/// (default: the current directory), so that a request cannot read or overwrite arbitrary host files.
/// </summary>
public sealed class FileOperationHandler(SandboxTargets targets) : IRequestHandler<FileOperationRequest, IReadOnlyDictionary<string, object?>>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(FileOperationRequest request, CancellationToken cancellationToken)
    {
        var operation = request.Operation.Trim().ToLowerInvariant() switch { "create" => "write", var other => other };
        (string, object?)[] Echo(string? sandbox) => [("sandbox_id", sandbox ?? request.SandboxId), ("operation", operation), ("file_path", request.FilePath)];
        if (operation is not ("read" or "write" or "list" or "delete" or "upload" or "download"))
        {
            return ToolResult.Fail("invalid_parameters", $"Invalid parameter 'operation': '{request.Operation}' is not one of read, write, list, delete, upload, download.", Echo(null));
        }

        if (operation != "list" && string.IsNullOrWhiteSpace(request.FilePath))
        {
            return ToolResult.Fail("invalid_parameters", $"Invalid parameter 'file_path': {operation} needs the file's path in the sandbox.", Echo(null));
        }

        if (operation is "upload" or "download" && string.IsNullOrWhiteSpace(request.LocalPath))
        {
            return ToolResult.Fail("invalid_parameters", $"Invalid parameter 'local_path': {operation} needs a path on this machine.", Echo(null));
        }

        var target = await targets.ResolveAsync(request.SandboxId, null, createWhenMissing: true, cancellationToken);
        if (!target.Succeeded)
        {
            return ToolResult.Fail(target.Error, Echo(null));
        }

        var (id, files) = (target.Value.Id, target.Value.Provider.Files);
        switch (operation)
        {
            case "read":
                var read = await files.ReadAsync(id, request.FilePath!, cancellationToken);
                if (!read.Succeeded)
                {
                    return ToolResult.Fail(read.Error, Echo(id));
                }

                var text = TryDecode(read.Value);
                return ToolResult.Ok($"Read {read.Value.Length} bytes from {request.FilePath}.",
                    [.. Echo(id), ("content", text ?? Convert.ToBase64String(read.Value)), ("encoding", text is null ? "base64" : "utf-8"), ("size", (long)read.Value.Length)]);

            case "write":
                var written = await files.WriteAsync(id, request.FilePath!, Encoding.UTF8.GetBytes(request.Content ?? ""), cancellationToken);
                return written.Succeeded
                    ? ToolResult.Ok($"Wrote {written.Value.Size} bytes to {written.Value.Path}.", [.. Echo(id), ("size", written.Value.Size)])
                    : ToolResult.Fail(written.Error, Echo(id));

            case "list":
                var listed = await files.ListAsync(id, request.FilePath ?? "/workspace", cancellationToken);
                return listed.Succeeded
                    ? ToolResult.Ok($"{listed.Value.Count} entries in {request.FilePath ?? "/workspace"}.",
                        [.. Echo(id), ("files", listed.Value.Select(f => (object?)(f.IsDirectory ? f.Name + "/" : f.Name)).ToList())])
                    : ToolResult.Fail(listed.Error, Echo(id));

            case "delete":
                var deleted = await files.DeleteAsync(id, request.FilePath!, cancellationToken);
                return deleted.Succeeded ? ToolResult.Ok($"Deleted {request.FilePath}.", Echo(id)) : ToolResult.Fail(deleted.Error, Echo(id));

            case "upload":
                var source = LocalPath(request.LocalPath!, mustExist: true);
                if (!source.Succeeded)
                {
                    return ToolResult.Fail(source.Error, Echo(id));
                }

                await using (var input = File.OpenRead(source.Value))
                {
                    var uploaded = await files.UploadAsync(id, request.FilePath!, input, cancellationToken);
                    return uploaded.Succeeded
                        ? ToolResult.Ok($"Uploaded {source.Value} to {uploaded.Value.Path}.", [.. Echo(id), ("local_path", source.Value), ("size", uploaded.Value.Size)])
                        : ToolResult.Fail(uploaded.Error, Echo(id));
                }

            default:
                var destination = LocalPath(request.LocalPath!, mustExist: false);
                if (!destination.Succeeded)
                {
                    return ToolResult.Fail(destination.Error, Echo(id));
                }

                var partial = destination.Value + ".wfe-partial";
                SandboxResult<Sandboxes.Unit> downloaded;
                await using (var output = File.Create(partial))
                {
                    downloaded = await files.DownloadAsync(id, request.FilePath!, output, cancellationToken);
                }

                if (!downloaded.Succeeded)
                {
                    File.Delete(partial);
                    return ToolResult.Fail(downloaded.Error, Echo(id));
                }

                File.Move(partial, destination.Value, overwrite: true);
                return ToolResult.Ok($"Downloaded {request.FilePath} to {destination.Value}.", [.. Echo(id), ("local_path", destination.Value)]);
        }
    }

    private static string? TryDecode(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Resolves every symbolic link in an absolute, normalized path (like realpath), also when its last part does not exist yet.</summary>
    private static string RealPath(string path, int depth = 0)
    {
        if (depth > 40)
        {
            throw new IOException("too many levels of symbolic links");
        }

        var current = "/";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            current = info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? RealPath(Path.GetFullPath(target.FullName), depth + 1)
                : next;
        }

        return current;
    }

    /// <summary>Resolves a host path under the configured local root, refusing anything outside it.</summary>
    private static SandboxResult<string> LocalPath(string path, bool mustExist)
    {
        var configuredRoot = Path.GetFullPath(ToolCallContext.Current?.Config("local_root") as string is { Length: > 0 } configured ? configured : Directory.GetCurrentDirectory());
        var expanded = path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;
        var full = Path.GetFullPath(expanded, configuredRoot);
        string root, real;
        try
        {
            // Every link on the way counts (a linked folder such as root/etc -> /etc, not only the last part).
            root = RealPath(configuredRoot);
            real = RealPath(full);
        }
        catch (IOException ex)
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument, $"Invalid parameter 'local_path': '{path}' cannot be resolved: {ex.Message}");
        }

        if (real != root && !real.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.InvalidArgument,
                $"Invalid parameter 'local_path': '{path}' is outside {root}. Use a path under it, or set config.local_root in tools.yaml.");
        }

        if (mustExist && !File.Exists(real))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.NotFound, $"Local file '{path}' does not exist.");
        }

        if (!mustExist && !Directory.Exists(Path.GetDirectoryName(real)))
        {
            return SandboxResult<string>.Fail(SandboxErrorKind.NotFound, $"The folder of '{path}' does not exist on this machine.");
        }

        return real;
    }
}
