using System.Globalization;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>
/// Picks the sandbox provider per call from the run's <c>backend</c> input or the tool's <c>config.backend</c>: <c>local</c>, <c>daytona</c>, or
/// <c>auto</c> (the default): daytona when an API key is available (<c>DAYTONA_API_KEY</c> or <c>config.api_key</c>) and a daytona provider is
/// registered, else local. A backend with an <see cref="ISandboxProviderFactory"/> gets a provider made for the tool's <c>config</c>.
/// </summary>
public sealed class SandboxProviderSelector
{
    private const string Daytona = "daytona";
    private static readonly IReadOnlyDictionary<string, object?> NoConfig = new Dictionary<string, object?>();

    private readonly IReadOnlyList<ISandboxProvider> _providers;
    private readonly IReadOnlyList<ISandboxProviderFactory> _factories;

    /// <summary>Creates a selector over registered providers only.</summary>
    /// <param name="providers">The providers, found by <see cref="ISandboxProvider.Name"/> (the last of a name wins).</param>
    public SandboxProviderSelector(IEnumerable<ISandboxProvider> providers)
        : this(providers, [])
    {
    }

    /// <summary>Creates a selector over registered providers and per-config factories.</summary>
    /// <param name="providers">The providers, found by <see cref="ISandboxProvider.Name"/> (the last of a name wins).</param>
    /// <param name="factories">Factories, preferred to a provider of the same name.</param>
    public SandboxProviderSelector(IEnumerable<ISandboxProvider> providers, IEnumerable<ISandboxProviderFactory> factories)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(factories);
        _providers = providers.ToList();
        _factories = factories.ToList();
    }

    /// <summary>The provider for the current call, or an error naming the fix.</summary>
    public SandboxResult<ISandboxProvider> Select()
    {
        // A run's own choice (wfe run --backend) wins over the tool's config.
        var context = ToolCallContext.Current;
        var config = context?.Configuration?.Config ?? NoConfig;
        var backend = (Text(context?.RunInputs.GetValueOrDefault("backend")) ?? Text(config.GetValueOrDefault("backend")) ?? "auto").ToLowerInvariant();
        if (backend == "auto")
        {
            backend = DaytonaHasCredentials(config) ? Daytona : "local";
        }

        if (backend is not ("local" or Daytona))
        {
            return SandboxResult<ISandboxProvider>.Fail(SandboxErrorKind.InvalidArgument, $"config.backend '{backend}' is not known; use local, daytona or auto.");
        }

        if (FindFactory(backend) is { } factory)
        {
            return factory.GetProvider(config);
        }

        return Find(backend) is { } provider
            ? SandboxResult<ISandboxProvider>.Ok(provider)
            : SandboxResult<ISandboxProvider>.Fail(SandboxErrorKind.Unavailable,
                backend == Daytona
                    ? "The daytona backend is not registered in this host; call services.AddDaytonaSandboxes() (WorkflowEngine.Daytona.Rest), or use backend: local."
                    : "No local sandbox provider is registered; call services.AddLocalSandboxes() in the host.");
    }

    /// <summary>Every registered provider.</summary>
    public IReadOnlyList<ISandboxProvider> All => _providers;

    /// <summary>Whether <c>auto</c> may pick daytona: it is registered and has a key (a factory also knows keys set in code).</summary>
    private bool DaytonaHasCredentials(IReadOnlyDictionary<string, object?> config)
    {
        if (FindFactory(Daytona) is { } factory)
        {
            return factory.HasCredentials(config);
        }

        return Find(Daytona) is not null
            && (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DAYTONA_API_KEY")) || Text(config.GetValueOrDefault("api_key")) is not null);
    }

    private ISandboxProvider? Find(string name) => _providers.LastOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private ISandboxProviderFactory? FindFactory(string name) => _factories.LastOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A scalar as trimmed text; blank (such as an unset <c>${WFE_BACKEND:-}</c>) counts as unset.</summary>
    private static string? Text(object? value) =>
        (value as IConvertible)?.ToString(CultureInfo.InvariantCulture).Trim() is { Length: > 0 } text ? text : null;
}
