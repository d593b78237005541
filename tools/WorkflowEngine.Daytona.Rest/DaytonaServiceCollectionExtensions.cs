using Microsoft.Extensions.Logging;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Rest.Internal;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Daytona REST sandbox provider.</summary>
public static class DaytonaServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DaytonaSandboxProvider"/> as an <see cref="ISandboxProvider"/> named <c>daytona</c>, and a
    /// factory that gives the <c>daytona_environment</c> tool a provider per tool <c>config</c>. Settings are taken,
    /// first to last: the tool's non-blank <c>api_key</c>, <c>api_url</c>, <c>target</c> and <c>organization_id</c>;
    /// <paramref name="configure"/>; the <c>DAYTONA_API_KEY</c>, <c>DAYTONA_API_URL</c>, <c>DAYTONA_TARGET</c> and
    /// <c>DAYTONA_ORGANIZATION_ID</c> environment variables. Without a key, registering still succeeds: the tool then
    /// reports which variable to set. The providers use the container's <see cref="TimeProvider"/> and
    /// <see cref="ILoggerFactory"/> when it has them.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options (key, URL, timeouts, retries…).</param>
    public static IServiceCollection AddDaytonaSandboxes(this IServiceCollection services, Action<DaytonaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => new DaytonaProviderFactory(configure, sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
        services.AddSingleton<ISandboxProviderFactory>(sp => sp.GetRequiredService<DaytonaProviderFactory>());

        // The factory owns the default provider; the container disposing it as well is harmless (Dispose is idempotent).
        services.AddSingleton<ISandboxProvider>(sp => sp.GetRequiredService<DaytonaProviderFactory>().Default);
        return services;
    }
}
