using System.Net;
using System.Text.Json;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>Turns failed HTTP exchanges into <see cref="SandboxError"/>s; never throws on an empty or malformed body.</summary>
internal static class DaytonaErrors
{
    private const int MaxRawBody = 1000;

    /// <summary>The error of a response that was not a 2xx.</summary>
    /// <param name="operation">What was being done ("create sandbox").</param>
    /// <param name="response">The failed exchange.</param>
    /// <param name="defaultTimeout">The client's timeout, named in the message when the request had none of its own.</param>
    /// <param name="target">Where the request went, named when there was no answer (RestSharp leaves <see cref="RestResponseBase.ResponseUri"/> empty then).</param>
    public static SandboxError From(string operation, RestResponse response, TimeSpan? defaultTimeout = null, Uri? target = null)
    {
        if (response.ResponseStatus == ResponseStatus.TimedOut)
        {
            return TimedOut(operation, response.Request?.Timeout ?? defaultTimeout);
        }

        var status = (int)response.StatusCode;
        if (status == 0)
        {
            return new SandboxError(SandboxErrorKind.Connection, $"Failed to {operation}: {ConnectionProblem(response, target)}");
        }

        var message = MessageOf(response.Content, response.ContentType) ?? NonEmpty(response.StatusDescription) ?? $"HTTP {status}";
        return From(operation, response.StatusCode, message);
    }

    /// <summary>The error of a request that got no answer within <paramref name="limit"/> (named when finite).</summary>
    public static SandboxError TimedOut(string operation, TimeSpan? limit)
    {
        var after = limit is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan ? $" after {t.TotalSeconds:0.###} s" : "";
        return new SandboxError(SandboxErrorKind.Timeout, $"Failed to {operation}: the request timed out{after}");
    }

    /// <summary>
    /// Whether a failed call may still have done its work on the server: it timed out, the connection broke after
    /// the request went out, or the server answered 5xx. A refused connection or a 4xx answer did nothing.
    /// </summary>
    public static bool MayHaveReachedServer(RestResponse response)
    {
        if (response.ResponseStatus == ResponseStatus.TimedOut)
        {
            return true;
        }

        var status = (int)response.StatusCode;
        if (status == 0)
        {
            return HttpErrorOf(response) is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError);
        }

        return status >= 500;
    }

    /// <summary>The error for a status code and the server's message.</summary>
    public static SandboxError From(string operation, HttpStatusCode statusCode, string message)
    {
        var status = (int)statusCode;
        return status switch
        {
            400 => new(SandboxErrorKind.InvalidArgument, $"Failed to {operation}: {message} (HTTP 400)"),
            401 => new(SandboxErrorKind.Authentication, $"Failed to {operation}: authentication failed: {message} (HTTP 401); check DAYTONA_API_KEY"),
            403 => new(SandboxErrorKind.Authorization, $"Failed to {operation}: not authorized: {message} (HTTP 403); check the key's permissions and DAYTONA_ORGANIZATION_ID"),
            404 => new(SandboxErrorKind.NotFound, $"Failed to {operation}: {message} (HTTP 404)"),
            408 => new(SandboxErrorKind.Timeout, $"Failed to {operation}: {message} (HTTP 408)"),
            409 => new(SandboxErrorKind.Conflict, $"Failed to {operation}: {message} (HTTP 409)"),
            429 => new(SandboxErrorKind.RateLimited, $"Failed to {operation}: rate limit exceeded: {message} (HTTP 429)"),
            _ => new(SandboxErrorKind.Failed, $"Failed to {operation}: {message} (HTTP {status})"),
        };
    }

    /// <summary>
    /// The message of an error body: <c>message</c> as a string, or an array of strings joined with ", ";
    /// for an HTML page (a proxy's error page) its title or nothing; else the raw body (cut at 1000 characters);
    /// <see langword="null"/> when the body is empty.
    /// </summary>
    public static string? MessageOf(string? body, string? contentType = null)
    {
        var trimmed = body?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed[0] == '<' || contentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A load balancer's error page: its markup is noise, and the status line says more.
            return TitleOf(trimmed);
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message))
            {
                switch (message.ValueKind)
                {
                    case JsonValueKind.String when NonEmpty(message.GetString()) is { } text:
                        return text;
                    case JsonValueKind.Array:
                        var parts = message.EnumerateArray()
                            .Select(item => item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText())
                            .Where(part => !string.IsNullOrWhiteSpace(part))
                            .ToList();
                        if (parts.Count > 0)
                        {
                            return string.Join(", ", parts);
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw body.
        }

        return trimmed.Length <= MaxRawBody ? trimmed : trimmed[..MaxRawBody] + "…";
    }

    /// <summary>What went wrong with a call that got no HTTP answer, in words (no exception type, no stack).</summary>
    private static string ConnectionProblem(RestResponse response, Uri? target)
    {
        var where = (response.ResponseUri ?? target)?.GetLeftPart(UriPartial.Authority);
        var at = where is null ? "Daytona" : $"Daytona at {where}";
        var detail = InnermostMessage(response.ErrorException) ?? NonEmpty(response.ErrorMessage) ?? "no response";
        return HttpErrorOf(response) switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError => $"cannot reach {at} ({detail})",
            HttpRequestError.NameResolutionError => $"cannot reach {at}: the host name does not resolve ({detail})",
            HttpRequestError.SecureConnectionError => $"cannot reach {at}: the TLS handshake failed ({detail})",
            HttpRequestError.InvalidResponse => $"{at} sent an invalid HTTP response ({detail})",
            _ => $"the connection to {at} was lost before the response arrived ({detail})",
        };
    }

    private static HttpRequestError? HttpErrorOf(RestResponse response)
    {
        for (var ex = response.ErrorException; ex is not null; ex = ex.InnerException)
        {
            if (ex is HttpRequestException http)
            {
                return http.HttpRequestError;
            }
        }

        return null;
    }

    /// <summary>The most specific message of an exception chain ("Connection refused" rather than "An error occurred while sending the request.").</summary>
    private static string? InnermostMessage(Exception? exception)
    {
        string? message = null;
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            message = NonEmpty(ex.Message) ?? message;
        }

        return message;
    }

    private static string? TitleOf(string html)
    {
        var start = html.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
        var end = start < 0 ? -1 : html.IndexOf("</title>", start, StringComparison.OrdinalIgnoreCase);
        return end > start ? NonEmpty(WebUtility.HtmlDecode(html[(start + 7)..end]).Trim()) : null;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
