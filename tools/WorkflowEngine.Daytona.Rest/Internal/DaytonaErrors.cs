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
    public static SandboxError From(string operation, RestResponse response)
    {
        if (response.ResponseStatus == ResponseStatus.TimedOut)
        {
            return new SandboxError(SandboxErrorKind.Timeout, $"Failed to {operation}: the request timed out");
        }

        var status = (int)response.StatusCode;
        if (status == 0)
        {
            var reason = response.ErrorException?.Message ?? response.ErrorMessage ?? "no response";
            return new SandboxError(SandboxErrorKind.Unavailable, $"Failed to {operation}: cannot reach Daytona at {response.ResponseUri?.GetLeftPart(UriPartial.Authority) ?? "the API"} ({reason})");
        }

        var message = MessageOf(response.Content) ?? NonEmpty(response.StatusDescription) ?? $"HTTP {status}";
        return From(operation, response.StatusCode, message);
    }

    /// <summary>The error for a status code and the server's message.</summary>
    public static SandboxError From(string operation, HttpStatusCode statusCode, string message)
    {
        var status = (int)statusCode;
        return status switch
        {
            400 => new(SandboxErrorKind.InvalidArgument, $"Failed to {operation}: {message} (HTTP 400)"),
            401 => new(SandboxErrorKind.Authentication, $"Failed to {operation}: authentication failed: {message} (HTTP 401); check DAYTONA_API_KEY"),
            403 => new(SandboxErrorKind.Authentication, $"Failed to {operation}: not authorized: {message} (HTTP 403); check the key's permissions and DAYTONA_ORGANIZATION_ID"),
            404 => new(SandboxErrorKind.NotFound, $"Failed to {operation}: {message} (HTTP 404)"),
            408 => new(SandboxErrorKind.Timeout, $"Failed to {operation}: {message} (HTTP 408)"),
            409 => new(SandboxErrorKind.Conflict, $"Failed to {operation}: {message} (HTTP 409)"),
            429 => new(SandboxErrorKind.LimitExceeded, $"Failed to {operation}: rate limit exceeded: {message} (HTTP 429)"),
            _ => new(SandboxErrorKind.Failed, $"Failed to {operation}: {message} (HTTP {status})"),
        };
    }

    /// <summary>
    /// The message of an error body: <c>message</c> as a string, or an array of strings joined with ", ";
    /// else the raw body (cut at 1000 characters); <see langword="null"/> when the body is empty.
    /// </summary>
    public static string? MessageOf(string? body)
    {
        var trimmed = body?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
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

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
