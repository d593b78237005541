using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>Error responses in Daytona's shapes, and provider errors mapped to statuses.</summary>
internal static class Errors
{
    /// <summary>An error in the style of the route that failed.</summary>
    public static IResult Of(HttpContext context, ErrorStyle style, int status, string message, string? code = null)
    {
        var path = context.Request.Path.Value ?? "/";
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        object body = style == ErrorStyle.Api
            ? new ApiErrorBody(status, ReasonPhrases.GetReasonPhrase(status), message, path, timestamp)
            : new ToolboxErrorBody(status, message, path, timestamp, code ?? DefaultCode(status), context.Request.Method, "DAYTONA_DAEMON");
        return Results.Json(body, ServerJson.Options, statusCode: status);
    }

    /// <summary>An API-style error.</summary>
    public static IResult Api(HttpContext context, int status, string message) => Of(context, ErrorStyle.Api, status, message);

    /// <summary>A toolbox-style error.</summary>
    public static IResult Toolbox(HttpContext context, int status, string message, string? code = null) => Of(context, ErrorStyle.Toolbox, status, message, code);

    /// <summary>A provider error as an API response.</summary>
    public static IResult Api(HttpContext context, SandboxError error) => Api(context, Status(error.Kind), error.Message);

    /// <summary>A provider error as a toolbox response; <paramref name="notFoundCode"/> names what was missing (e.g. <c>FILE_NOT_FOUND</c>).</summary>
    public static IResult Toolbox(HttpContext context, SandboxError error, string? notFoundCode = null) =>
        Toolbox(context, Status(error.Kind), error.Message, error.Kind == SandboxErrorKind.NotFound ? notFoundCode : null);

    /// <summary>The HTTP status of a provider error kind.</summary>
    public static int Status(SandboxErrorKind kind) => kind switch
    {
        SandboxErrorKind.InvalidArgument or SandboxErrorKind.LimitExceeded => StatusCodes.Status400BadRequest,
        SandboxErrorKind.Authentication => StatusCodes.Status401Unauthorized,
        SandboxErrorKind.NotFound => StatusCodes.Status404NotFound,
        SandboxErrorKind.Conflict => StatusCodes.Status409Conflict,
        SandboxErrorKind.Timeout => StatusCodes.Status408RequestTimeout,
        SandboxErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        SandboxErrorKind.Authorization => StatusCodes.Status403Forbidden,
        SandboxErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        SandboxErrorKind.Connection => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string DefaultCode(int status) => status switch
    {
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        408 => "REQUEST_TIMEOUT",
        409 => "CONFLICT",
        410 => "GONE",
        413 => "PAYLOAD_TOO_LARGE",
        _ => "INTERNAL_SERVER_ERROR",
    };

    private sealed record ApiErrorBody(int StatusCode, string Error, string Message, string Path, string Timestamp);

    private sealed record ToolboxErrorBody(int StatusCode, string Message, string Path, string Timestamp, string Code, string Method, string Source);
}
