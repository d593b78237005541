using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>Reads JSON request bodies, answering 400 in the route's error style when they are malformed.</summary>
internal static class Body
{
    /// <summary>The largest JSON body read (requests carry commands, code and paths, not files). 16 MiB.</summary>
    public const long MaxJsonBytes = 16L * 1024 * 1024;

    /// <summary>The body as <typeparamref name="T"/>; an empty body gives <paramref name="empty"/> (or 400 when that is null).</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, ErrorStyle style, Func<T>? empty = null)
        where T : class
    {
        try
        {
            // HTTP/1.1: no Content-Length and no Transfer-Encoding means no body.
            if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0))
            {
                return empty is null ? (null, Errors.Of(context, style, 400, "A JSON request body is required")) : (empty(), null);
            }

            if (context.Request.ContentLength > MaxJsonBytes)
            {
                return (null, TooLarge(context, style));
            }

            // A chunked body announces no length: count what is read. The server's own limit also makes it refuse,
            // rather than drain, the rest after the answer; the counting stream covers hosts without that feature.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxJsonBytes;
            }

            await using var bounded = new BoundedReadStream(context.Request.Body, MaxJsonBytes);
            var value = await JsonSerializer.DeserializeAsync<T>(bounded, ServerJson.Options, context.RequestAborted).ConfigureAwait(false);
            return value is null ? (null, Errors.Of(context, style, 400, "The request body must be a JSON object")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Errors.Of(context, style, 400, $"The request body is not valid JSON: {ex.Message}"));
        }
        catch (Exception ex) when (ex is BoundedReadStream.LimitExceededException
            or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return (null, TooLarge(context, style));
        }
    }

    private static IResult TooLarge(HttpContext context, ErrorStyle style) =>
        Errors.Of(context, style, StatusCodes.Status413PayloadTooLarge,
            $"The JSON body is over {MaxJsonBytes / (1024 * 1024)} MiB; send files through files/upload or files/bulk-upload (multipart) instead");
}
