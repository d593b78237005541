using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Server;
using WorkflowEngine.Daytona.Server.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Daytona's REST routes (control plane and toolbox) onto an ASP.NET Core app.</summary>
public static class DaytonaEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the subset of Daytona's API that sandbox clients use, over <paramref name="provider"/>: sandbox
    /// create, list, get, delete, start and stop under <c>/api/sandbox</c>, and process, files and git under
    /// <c>/toolbox/{sandboxId}</c>. Every route requires <c>Authorization: Bearer {ApiKey}</c>.
    /// </summary>
    /// <param name="endpoints">The app or a route group.</param>
    /// <param name="provider">The provider that holds the sandboxes.</param>
    /// <param name="options">The API key and what the server reports; validated here.</param>
    /// <returns>The same <paramref name="endpoints"/>.</returns>
    public static IEndpointRouteBuilder MapDaytonaApi(this IEndpointRouteBuilder endpoints, ISandboxProvider provider, DaytonaServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var api = endpoints.MapGroup("/api").AddEndpointFilter(new BearerAuthFilter(options.ApiKey!, ErrorStyle.Api));
        ControlPlaneEndpoints.Map(api, provider, options);

        var toolbox = endpoints.MapGroup("/toolbox/{sandboxId}").AddEndpointFilter(new BearerAuthFilter(options.ApiKey!, ErrorStyle.Toolbox));
        ProcessEndpoints.Map(toolbox, provider);
        FileEndpoints.Map(toolbox, provider);
        GitEndpoints.Map(toolbox, provider);

        // Anything else (an unknown route, or a method a route does not take) gets an error body in the route's style.
        api.Map("/{**rest}", (HttpContext context) => Unsupported(context, ErrorStyle.Api));
        toolbox.Map("/{**rest}", (HttpContext context) => Unsupported(context, ErrorStyle.Toolbox));
        return endpoints;
    }

    private static IResult Unsupported(HttpContext context, ErrorStyle style) =>
        Errors.Of(context, style, StatusCodes.Status404NotFound, $"{context.Request.Method} {context.Request.Path} is not a route this server implements (it serves Daytona's sandbox, process, files and git routes)");
}
