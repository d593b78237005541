using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// The wire format of the toolbox's bulk file routes, streamed both ways so a file is never held in memory:
/// <c>POST /files/bulk-upload</c> takes multipart pairs <c>files[i].path</c> (text) then <c>files[i].file</c>, and
/// answers 200 (optionally <c>{files: [{path, bytes}]}</c>) or 400 <c>{errors: [...]}</c>;
/// <c>POST /files/bulk-download</c> takes <c>{"paths": [...]}</c> and answers a multipart body with one part per
/// path: <c>file</c> (may carry <c>Content-Length</c>) or <c>error</c> (an <c>ErrorResponse</c> JSON, plain text on
/// daemons before v0.205), inside an HTTP 200.
/// </summary>
internal static class BulkFileTransfer
{
    /// <summary>The toolbox route of uploads.</summary>
    public const string UploadRoute = "files/bulk-upload";

    /// <summary>The toolbox route of downloads.</summary>
    public const string DownloadRoute = "files/bulk-download";

    /// <summary>The chunk size of copies and of the multipart reader's buffer.</summary>
    internal const int BufferSize = 64 * 1024;

    /// <summary>The most of an <c>error</c> part (or a failed response's body) that is read; the rest is skipped.</summary>
    internal const int MaxErrorBytes = 64 * 1024;

    /// <summary>
    /// The body of a one-file upload: <c>files[0].path</c> first (the daemon needs the destination before the
    /// bytes), then <c>files[0].file</c> streamed from <paramref name="content"/>, which is left open.
    /// </summary>
    public static MultipartFormDataContent UploadContent(string daemonPath, Stream content)
    {
        var form = new MultipartFormDataContent("daytona-" + Guid.NewGuid().ToString("N"));

        var path = new StringContent(daemonPath, Encoding.UTF8);
        path.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"files[0].path\"" };
        form.Add(path);

        // StreamContent copies chunk by chunk while sending; a seekable stream also gives the Content-Length.
        var file = new StreamContent(new NonDisposingStream(content), BufferSize);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
        {
            Name = "\"files[0].file\"",
            FileName = $"\"{SafeFileName(daemonPath)}\"",
        };
        form.Add(file);
        return form;
    }

    /// <summary>The <c>errors</c> of a rejected upload (<c>{errors: [...]}</c>) joined with "; ", or <see langword="null"/>.</summary>
    public static string? UploadErrors(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("errors", out var errors))
            {
                return null;
            }

            var parts = errors.ValueKind switch
            {
                JsonValueKind.Array => errors.EnumerateArray().Select(Describe).Where(e => !string.IsNullOrWhiteSpace(e)).ToList(),
                JsonValueKind.String => [errors.GetString()],
                _ => [],
            };
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
        catch (JsonException)
        {
            return null;
        }

        // The daemon sends strings ("x: create: permission denied"); compatible servers may send {path, error}.
        static string? Describe(JsonElement error)
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                return error.GetString();
            }

            if (error.ValueKind == JsonValueKind.Object
                && (Text(error, "error") ?? Text(error, "message")) is { } message)
            {
                return Text(error, "path") is { } path ? $"{path}: {message}" : message;
            }

            return error.GetRawText();
        }

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>
    /// Copies the file part of a bulk-download answer to <paramref name="destination"/> in chunks and returns its
    /// length. An <c>error</c> part becomes the typed error, a part shorter than its <c>Content-Length</c> or a body
    /// without its closing boundary fails (the stream broke), and <paramref name="limit"/> caps the bytes accepted.
    /// </summary>
    /// <param name="body">The response body, read as it arrives.</param>
    /// <param name="contentType">The response's content type, which carries the boundary.</param>
    /// <param name="destination">Where the file's bytes go.</param>
    /// <param name="limit">The most bytes accepted (the read limit), or <see langword="null"/> for none.</param>
    /// <param name="operation">What is being done, for messages ("download /workspace/a in sandbox s").</param>
    /// <param name="contract">The file's contract path, for limit messages.</param>
    /// <param name="cancellationToken">Cancels the copy; cancellation throws.</param>
    public static async Task<SandboxResult<long>> ReceiveAsync(
        Stream body, MediaTypeHeaderValue? contentType, Stream destination, long? limit, string operation, string contract, CancellationToken cancellationToken)
    {
        var boundary = Boundary(contentType);
        if (boundary is null)
        {
            return SandboxResult<long>.Fail(
                SandboxErrorKind.Failed,
                $"Failed to {operation}: the toolbox answered '{contentType?.ToString() ?? "no content type"}' instead of a multipart body (does it have /files/bulk-download?)");
        }

        var reader = new MultipartReader(boundary, body, BufferSize)
        {
            // No cap on a part: files of any size stream through, and the read limit is enforced below instead.
            BodyLengthLimit = null,
        };

        SandboxError? error = null;
        long? received = null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                var name = PartName(section);
                if (name == "error")
                {
                    error ??= ErrorOf(operation, await ReadTextAsync(section.Body, cancellationToken).ConfigureAwait(false));
                    continue;
                }

                if (name != "file" || received is not null || error is not null)
                {
                    // One path was asked for: anything else is skipped (the reader drains it).
                    continue;
                }

                var declared = DeclaredLength(section);
                if (limit is { } max && declared > max)
                {
                    return OverLimit(contract, max, declared);
                }

                if (declared is { } size and <= int.MaxValue && destination is MemoryStream memory && memory.Capacity < size)
                {
                    // ReadAsync's buffer: one allocation of the right size instead of doublings.
                    memory.Capacity = (int)size;
                }

                long total = 0;
                int read;
                while ((read = await section.Body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (limit is { } cap && total > cap)
                    {
                        return OverLimit(contract, cap, null);
                    }

                    try
                    {
                        await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (IOException ex)
                    {
                        return SandboxResult<long>.Fail(SandboxErrorKind.Failed, $"Failed to {operation}: cannot write to the destination: {ex.Message}");
                    }
                }

                if (declared is { } expected && total != expected)
                {
                    return SandboxResult<long>.Fail(
                        SandboxErrorKind.Failed,
                        $"Failed to {operation}: the toolbox sent {total} of {expected} bytes (the stream broke or the file changed); try again");
                }

                received = total;
            }
        }
        catch (IOException ex)
        {
            // The body ended before the closing boundary, or the connection broke (HttpIOException is an IOException).
            return SandboxResult<long>.Fail(SandboxErrorKind.Failed, $"Failed to {operation}: the download was cut off ({ex.Message}); try again");
        }
        catch (InvalidDataException ex)
        {
            return SandboxResult<long>.Fail(SandboxErrorKind.Failed, $"Failed to {operation}: the toolbox's multipart answer is malformed: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (error is not null)
        {
            return error;
        }

        return received is { } length
            ? length
            : SandboxResult<long>.Fail(SandboxErrorKind.Failed, $"Failed to {operation}: the toolbox's answer had neither a file nor an error part");
    }

    /// <summary>
    /// The error of an <c>error</c> part: an <c>ErrorResponse</c> (<c>code</c>, <c>statusCode</c>, <c>message</c>) or,
    /// from older daemons, plain text such as "file not found or invalid: x".
    /// </summary>
    internal static SandboxError ErrorOf(string operation, string payload)
    {
        int? status = null;
        string? code = null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("statusCode", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var number))
                {
                    status = number;
                }

                if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    code = c.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Plain text: the message is the text itself.
        }

        var message = DaytonaErrors.MessageOf(payload) ?? "the toolbox gave no reason";
        var kind = code switch
        {
            "FILE_NOT_FOUND" => SandboxErrorKind.NotFound,
            "INVALID_FILE_PATH" => SandboxErrorKind.InvalidArgument,
            "FILE_ACCESS_DENIED" or "FILE_READ_FAILED" => SandboxErrorKind.Failed,
            _ => status switch
            {
                404 => SandboxErrorKind.NotFound,
                400 => SandboxErrorKind.InvalidArgument,
                null when message.Contains("not found", StringComparison.OrdinalIgnoreCase) => SandboxErrorKind.NotFound,
                _ => SandboxErrorKind.Failed,
            },
        };
        var detail = code ?? (status is { } st ? "HTTP " + st.ToString(CultureInfo.InvariantCulture) : null);
        return new SandboxError(kind, detail is null ? $"Failed to {operation}: {message}" : $"Failed to {operation}: {message} ({detail})");
    }

    /// <summary>Up to <see cref="MaxErrorBytes"/> of a small body (an error), as UTF-8.</summary>
    internal static async Task<string> ReadTextAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static SandboxResult<long> OverLimit(string contract, long limit, long? size) =>
        SandboxResult<long>.Fail(
            SandboxErrorKind.LimitExceeded,
            size is { } bytes
                ? $"'{contract}' is {bytes} bytes, over the read limit of {limit} bytes; download it instead."
                : $"'{contract}' is over the read limit of {limit} bytes; download it instead.");

    private static string? Boundary(MediaTypeHeaderValue? contentType)
    {
        if (contentType?.MediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        var boundary = contentType.Parameters
            .FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        return string.IsNullOrEmpty(boundary) ? null : boundary;
    }

    private static string? PartName(MultipartSection section)
    {
        var disposition = section.GetContentDispositionHeader();
        return disposition is null ? null : Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(disposition.Name).Value;
    }

    private static long? DeclaredLength(MultipartSection section) =>
        section.Headers is { } headers
        && headers.TryGetValue("Content-Length", out var values)
        && long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : null;

    /// <summary>The file name sent with the upload: the path's last segment in printable ASCII (the daemon ignores it).</summary>
    private static string SafeFileName(string daemonPath)
    {
        var name = daemonPath[(daemonPath.LastIndexOf('/') + 1)..];
        var safe = new string(name.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '_').ToArray());
        return safe.Length == 0 ? "file" : safe;
    }
}
