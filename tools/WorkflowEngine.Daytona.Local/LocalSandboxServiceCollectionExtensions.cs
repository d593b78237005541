using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Sandboxes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedded local sandbox provider.</summary>
public static class LocalSandboxServiceCollectionExtensions
{
    /// <summary>Adds <see cref="LocalSandboxProvider"/> as an <see cref="ISandboxProvider"/> named <c>local</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options (data folder, limits, warm pool…).</param>
    public static IServiceCollection AddLocalSandboxes(this IServiceCollection services, Action<LocalSandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(_ =>
        {
            var options = new LocalSandboxOptions();
            configure?.Invoke(options);
            return new LocalSandboxProvider(options);
        });
        services.AddSingleton<ISandboxProvider>(sp => sp.GetRequiredService<LocalSandboxProvider>());
        return services;
    }
}
