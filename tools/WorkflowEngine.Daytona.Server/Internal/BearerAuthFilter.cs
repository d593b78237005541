using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>Answers 401 unless the request carries <c>Authorization: Bearer {key}</c> (compared in constant time).</summary>
internal sealed class BearerAuthFilter(string apiKey, ErrorStyle style) : IEndpointFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(apiKey);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), _expected))
        {
            var message = header.Length == 0 ? "Invalid credentials: send Authorization: Bearer <api key>" : "Invalid credentials";
            return ValueTask.FromResult<object?>(Errors.Of(context.HttpContext, style, StatusCodes.Status401Unauthorized, message));
        }

        return next(context);
    }
}
