using System.Text;
using Mediator;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool.Methods;
using WorkflowEngine.Hosting;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Handlers;

/// <summary>
/// Handles <c>file_operation</c>. Host paths for upload and download must lie under <c>config.local_root</c>
/// (default: the current directory) and outside <c>/proc</c>, <c>/sys</c>, <c>/dev</c>, <c>/etc</c> and <c>WFE_HOME</c>,
/// so that a request cannot read or overwrite arbitrary host files.
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

    /// <summary>Resolves a host path under the configured local root by the rule git clone follows too (<see cref="HostPathPolicy"/>).</summary>
    private static SandboxResult<string> LocalPath(string path, bool mustExist)
    {
        var root = ToolCallContext.Current?.Config("local_root") as string is { Length: > 0 } configured ? configured : Directory.GetCurrentDirectory();
        var resolved = new HostPathPolicy([root], [WorkflowEngineOptions.DefaultDataDirectory()], "set config.local_root in tools.yaml").Resolve(path);
        if (!resolved.Succeeded)
        {
            return SandboxResult<string>.Fail(resolved.Error.Kind, $"Invalid parameter 'local_path': {resolved.Error.Message}");
        }

        var real = resolved.Value;
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
