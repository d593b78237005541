using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>
/// The toolbox's <c>/files</c> routes. Uploads and downloads stream between the socket and the provider
/// (multipart is read section by section); nothing holds a whole file in memory.
/// </summary>
internal static class FileEndpoints
{
    /// <summary>The multipart boundary Daytona's daemon uses for bulk downloads.</summary>
    public const string DownloadBoundary = "DAYTONA-FILE-BOUNDARY";

    private const int MaxListDepth = 10;
    private const int MaxTextPartBytes = 64 * 1024;

    public static void Map(RouteGroupBuilder toolbox, ISandboxProvider provider)
    {
        var files = provider.Files;
        toolbox.MapGet("/files", async (HttpContext context, string sandboxId) =>
        {
            var depth = 1;
            if (context.Request.Query.TryGetValue("depth", out var depthText)
                && (!int.TryParse(depthText, NumberStyles.None, CultureInfo.InvariantCulture, out depth) || depth is < 1 or > MaxListDepth))
            {
                return Errors.Toolbox(context, 400, $"depth must be a number from 1 to {MaxListDepth}");
            }

            var listed = new List<FileInfoView>();
            var folders = new Queue<(string Path, int Level)>([(ToolboxPaths.Resolve(context.Request.Query["path"]), 1)]);
            while (folders.TryDequeue(out var folder))
            {
                var entries = await files.ListAsync(sandboxId, folder.Path, context.RequestAborted).ConfigureAwait(false);
                if (!entries.Succeeded)
                {
                    return Errors.Toolbox(context, entries.Error, "FILE_NOT_FOUND");
                }

                foreach (var entry in entries.Value)
                {
                    listed.Add(FileInfoView.From(entry));
                    if (entry.IsDirectory && folder.Level < depth)
                    {
                        folders.Enqueue((entry.Path, folder.Level + 1));
                    }
                }
            }

            return Results.Json(listed, ServerJson.Options);
        });

        toolbox.MapGet("/files/info", async (HttpContext context, string sandboxId) =>
        {
            if (Required(context, "path") is { } missing)
            {
                return missing;
            }

            var info = await files.InfoAsync(sandboxId, ToolboxPaths.Resolve(context.Request.Query["path"]), context.RequestAborted).ConfigureAwait(false);
            return info.Succeeded ? Results.Json(FileInfoView.From(info.Value), ServerJson.Options) : Errors.Toolbox(context, info.Error, "FILE_NOT_FOUND");
        });

        toolbox.MapDelete("/files", async (HttpContext context, string sandboxId) =>
        {
            if (Required(context, "path") is { } missing)
            {
                return missing;
            }

            var path = ToolboxPaths.Resolve(context.Request.Query["path"]);
            var info = await files.InfoAsync(sandboxId, path, context.RequestAborted).ConfigureAwait(false);
            if (!info.Succeeded)
            {
                return Errors.Toolbox(context, info.Error, "FILE_NOT_FOUND");
            }

            if (info.Value.IsDirectory && !string.Equals(context.Request.Query["recursive"], "true", StringComparison.OrdinalIgnoreCase))
            {
                return Errors.Toolbox(context, 400, $"{path} is a directory; pass recursive=true to delete it");
            }

            var deleted = await files.DeleteAsync(sandboxId, path, context.RequestAborted).ConfigureAwait(false);
            return deleted.Succeeded ? Results.NoContent() : Errors.Toolbox(context, deleted.Error, "FILE_NOT_FOUND");
        });

        toolbox.MapPost("/files/folder", async (HttpContext context, string sandboxId) =>
        {
            if (Required(context, "path", "mode") is { } missing)
            {
                return missing;
            }

            var created = await files.CreateDirectoryAsync(sandboxId, ToolboxPaths.Resolve(context.Request.Query["path"]), context.RequestAborted).ConfigureAwait(false);
            return created.Succeeded ? Results.StatusCode(StatusCodes.Status201Created) : Errors.Toolbox(context, created.Error);
        });

        toolbox.MapPost("/files/move", async (HttpContext context, string sandboxId) =>
        {
            if (Required(context, "source", "destination") is { } missing)
            {
                return missing;
            }

            var destination = ToolboxPaths.Resolve(context.Request.Query["destination"]);
            var existing = await files.InfoAsync(sandboxId, destination, context.RequestAborted).ConfigureAwait(false);
            if (existing.Succeeded)
            {
                return Errors.Toolbox(context, 409, $"{destination} already exists; delete it first or choose another destination");
            }

            var moved = await files.MoveAsync(sandboxId, ToolboxPaths.Resolve(context.Request.Query["source"]), destination, context.RequestAborted).ConfigureAwait(false);
            return moved.Succeeded ? Results.Ok() : Errors.Toolbox(context, moved.Error, "FILE_NOT_FOUND");
        });

        toolbox.MapGet("/files/download", async (HttpContext context, string sandboxId) =>
        {
            if (Required(context, "path") is { } missing)
            {
                return missing;
            }

            var path = ToolboxPaths.Resolve(context.Request.Query["path"]);
            var info = await files.InfoAsync(sandboxId, path, context.RequestAborted).ConfigureAwait(false);
            if (!info.Succeeded || info.Value.IsDirectory)
            {
                return info.Succeeded ? Errors.Toolbox(context, 400, $"{path} is a directory", "INVALID_FILE_PATH") : Errors.Toolbox(context, info.Error, "FILE_NOT_FOUND");
            }

            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = info.Value.Size;
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = info.Value.Name }.ToString();
            var sent = await files.DownloadAsync(sandboxId, path, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            if (!sent.Succeeded)
            {
                // Headers are gone: all that is left is to cut the connection so the client sees a short body.
                context.Abort();
            }

            return Results.Empty;
        });

        toolbox.MapPost("/files/upload-v2", async (HttpContext context, string sandboxId) =>
        {
            if (Required(context, "path") is { } missing)
            {
                return missing;
            }

            var path = ToolboxPaths.Resolve(context.Request.Query["path"]);
            SandboxResult<FileEntry> uploaded;
            if (Boundary(context) is { } boundary)
            {
                var reader = new MultipartReader(boundary, context.Request.Body);
                MultipartSection? section;
                while ((section = await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false)) is not null && NameOf(section) != "file")
                {
                }

                if (section is null)
                {
                    return Errors.Toolbox(context, 400, "the multipart body has no 'file' field");
                }

                uploaded = await files.UploadAsync(sandboxId, path, section.Body, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                uploaded = await files.UploadAsync(sandboxId, path, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            }

            return uploaded.Succeeded
                ? Results.Json(new UploadedFile(uploaded.Value.Name, uploaded.Value.Path, "file"), ServerJson.Options)
                : Errors.Toolbox(context, uploaded.Error);
        });

        toolbox.MapPost("/files/bulk-upload", async (HttpContext context, string sandboxId) =>
            await provider.GetAsync(sandboxId, context.RequestAborted).ConfigureAwait(false) is { Succeeded: false } missing
                ? Errors.Toolbox(context, missing.Error)
                : await BulkUploadAsync(context, files, sandboxId).ConfigureAwait(false));
        toolbox.MapPost("/files/bulk-download", async (HttpContext context, string sandboxId) =>
            await provider.GetAsync(sandboxId, context.RequestAborted).ConfigureAwait(false) is { Succeeded: false } missing
                ? Errors.Toolbox(context, missing.Error)
                : await BulkDownloadAsync(context, files, sandboxId).ConfigureAwait(false));
    }

    /// <summary>Pairs of <c>files[i].path</c> then <c>files[i].file</c>; each file streams to the provider as it arrives.</summary>
    private static async Task<IResult> BulkUploadAsync(HttpContext context, ISandboxFileSystem files, string sandboxId)
    {
        if (Boundary(context) is not { } boundary)
        {
            return Errors.Toolbox(context, 400, "send multipart/form-data with files[i].path and files[i].file fields");
        }

        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var uploaded = new List<UploadedBytes>();
        var errors = new List<BulkError>();
        var reader = new MultipartReader(boundary, context.Request.Body);
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false)) is not null)
        {
            var name = NameOf(section) ?? "";
            if (name.StartsWith("files[", StringComparison.Ordinal) && name.EndsWith("].path", StringComparison.Ordinal))
            {
                paths[name[..^".path".Length]] = await ReadTextAsync(section, context.RequestAborted).ConfigureAwait(false);
            }
            else if (name.StartsWith("files[", StringComparison.Ordinal) && name.EndsWith("].file", StringComparison.Ordinal))
            {
                var key = name[..^".file".Length];
                if (!paths.TryGetValue(key, out var target))
                {
                    errors.Add(new BulkError(key, $"{key}.path must come before {key}.file"));
                    continue;
                }

                var path = ToolboxPaths.Resolve(target);
                var written = await files.UploadAsync(sandboxId, path, section.Body, context.RequestAborted).ConfigureAwait(false);
                if (written.Succeeded)
                {
                    uploaded.Add(new UploadedBytes(target, written.Value.Size));
                }
                else
                {
                    errors.Add(new BulkError(target, written.Error.Message));
                }
            }
        }

        if (errors.Count > 0)
        {
            var message = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Error}"));
            return Results.Json(new BulkUploadFailure(400, message, context.Request.Path.Value ?? "", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), "BAD_REQUEST", errors, uploaded), ServerJson.Options, statusCode: 400);
        }

        return uploaded.Count == 0
            ? Errors.Toolbox(context, 400, "no files were sent; add files[0].path and files[0].file")
            : Results.Json(new BulkUploadResult(uploaded), ServerJson.Options);
    }

    /// <summary>One multipart part per path, in order: a <c>file</c> part streamed from the provider, or an <c>error</c> part.</summary>
    private static async Task<IResult> BulkDownloadAsync(HttpContext context, ISandboxFileSystem files, string sandboxId)
    {
        var (body, invalid) = await Body.ReadAsync<DownloadRequest>(context, ErrorStyle.Toolbox).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        if (body!.Paths is not { Count: > 0 } requested)
        {
            return Errors.Toolbox(context, 400, "paths must list at least one file", "INVALID_FILE_PATH");
        }

        // Look every file up first so each part header can carry its size.
        var infos = new List<(string Requested, string Path, SandboxResult<FileEntry> Info)>();
        foreach (var item in requested)
        {
            var path = ToolboxPaths.Resolve(item);
            var info = await files.InfoAsync(sandboxId, path, context.RequestAborted).ConfigureAwait(false);
            infos.Add((item, path, info));
        }

        var response = context.Response;
        response.ContentType = $"multipart/form-data; boundary={DownloadBoundary}";
        var output = response.Body;
        foreach (var (item, path, info) in infos)
        {
            if (info.Succeeded && !info.Value.IsDirectory)
            {
                await WriteAsync(output, $"--{DownloadBoundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{Escape(item)}\"\r\nContent-Type: application/octet-stream\r\nContent-Length: {info.Value.Size.ToString(CultureInfo.InvariantCulture)}\r\n\r\n", context.RequestAborted).ConfigureAwait(false);
                var sent = await files.DownloadAsync(sandboxId, path, output, context.RequestAborted).ConfigureAwait(false);
                if (!sent.Succeeded)
                {
                    context.Abort();
                    return Results.Empty;
                }

                await WriteAsync(output, "\r\n", context.RequestAborted).ConfigureAwait(false);
                continue;
            }

            var (status, code, message) = info.Succeeded
                ? (400, "INVALID_FILE_PATH", $"{path} is a directory")
                : info.Error.Kind switch
                {
                    SandboxErrorKind.NotFound => (404, "FILE_NOT_FOUND", info.Error.Message),
                    SandboxErrorKind.InvalidArgument => (400, "INVALID_FILE_PATH", info.Error.Message),
                    _ => (500, "FILE_READ_FAILED", info.Error.Message),
                };
            var error = JsonSerializer.Serialize(new PartError(status, message, item, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), code), ServerJson.Options);
            await WriteAsync(output, $"--{DownloadBoundary}\r\nContent-Disposition: form-data; name=\"error\"; filename=\"{Escape(item)}\"\r\nContent-Type: application/json\r\n\r\n{error}\r\n", context.RequestAborted).ConfigureAwait(false);
        }

        await WriteAsync(output, $"--{DownloadBoundary}--\r\n", context.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private static IResult? Required(HttpContext context, params string[] names)
    {
        var missing = names.Where(n => string.IsNullOrEmpty(context.Request.Query[n])).ToList();
        return missing.Count == 0 ? null : Errors.Toolbox(context, 400, $"query parameter {string.Join(" and ", missing)} is required");
    }

    private static string? Boundary(HttpContext context)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        return string.IsNullOrEmpty(boundary) ? null : boundary;
    }

    private static string? NameOf(MultipartSection section) =>
        ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
            : null;

    private static async Task<string> ReadTextAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxTextPartBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await section.Body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static Task WriteAsync(Stream output, string text, CancellationToken cancellationToken) =>
        output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

    private sealed class DownloadRequest
    {
        public List<string>? Paths { get; set; }
    }

    private sealed record UploadedFile(string Name, string Path, string Type);

    private sealed record UploadedBytes(string Path, long Bytes);

    private sealed record BulkUploadResult(IReadOnlyList<UploadedBytes> Files);

    private sealed record BulkError(string Path, string Error);

    private sealed record BulkUploadFailure(int StatusCode, string Message, string Path, string Timestamp, string Code, IReadOnlyList<BulkError> Errors, IReadOnlyList<UploadedBytes> Files);

    private sealed record PartError(int StatusCode, string Message, string Path, string Timestamp, string Code);
}
