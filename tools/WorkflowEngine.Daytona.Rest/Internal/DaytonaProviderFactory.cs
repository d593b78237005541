using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Daytona.Tool;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Daytona providers per tool <c>config</c>: the non-blank <c>api_key</c>, <c>api_url</c>, <c>target</c> and
/// <c>organization_id</c> override the host's options, which override the <c>DAYTONA_*</c> environment variables
/// (as in Daytona's SDKs, the environment only fills in what explicit settings leave unset). One provider is kept per
/// distinct effective settings, so every tool call with the same settings shares its HTTP client and toolbox cache.
/// </summary>
internal sealed class DaytonaProviderFactory : ISandboxProviderFactory, IDisposable
{
    private static readonly IReadOnlyDictionary<string, object?> NoConfig = new Dictionary<string, object?>();

    private readonly Lazy<DaytonaOptions> _baseOptions;
    private readonly TimeProvider? _time;
    private readonly ILoggerFactory? _loggers;
    private readonly ConcurrentDictionary<Settings, Lazy<DaytonaSandboxProvider>> _providers = new();
    private volatile bool _disposed;

    /// <summary>Creates the factory.</summary>
    /// <param name="configure">The host's changes to the options, applied once over the environment's defaults.</param>
    /// <param name="time">The providers' clock; default the system's.</param>
    /// <param name="loggers">Where the providers log; default nowhere.</param>
    public DaytonaProviderFactory(Action<DaytonaOptions>? configure, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        _time = time;
        _loggers = loggers;
        _baseOptions = new Lazy<DaytonaOptions>(() =>
        {
            var options = new DaytonaOptions();
            configure?.Invoke(options);
            return options;
        });
    }

    /// <inheritdoc />
    public string Name => "daytona";

    /// <summary>The provider for the host's options alone (no tool config).</summary>
    public DaytonaSandboxProvider Default => Provider(Resolve(NoConfig));

    /// <inheritdoc />
    public bool HasCredentials(IReadOnlyDictionary<string, object?> config) => !string.IsNullOrWhiteSpace(Resolve(config).ApiKey);

    /// <inheritdoc />
    public SandboxResult<ISandboxProvider> GetProvider(IReadOnlyDictionary<string, object?> config)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var options = Resolve(config);
        if (options.Validate() is { } problem)
        {
            // Checked here so that the tool says what to set before any sandbox call is tried.
            return SandboxResult<ISandboxProvider>.Fail(
                string.IsNullOrWhiteSpace(options.ApiKey) ? SandboxErrorKind.Authentication : SandboxErrorKind.InvalidArgument,
                $"The daytona backend is not configured: {problem}. Or use backend: local.");
        }

        return Provider(options);
    }

    /// <summary>The effective options for a tool's <c>config</c>.</summary>
    public DaytonaOptions Resolve(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = _baseOptions.Value.Copy();
        if (Text(config, "api_key") is { } key)
        {
            options.ApiKey = key;
        }

        if (Text(config, "api_url") is { } url)
        {
            options.ApiUrl = url;
        }

        if (Text(config, "target") is { } target)
        {
            options.Target = target;
        }

        if (Text(config, "organization_id") is { } organization)
        {
            options.OrganizationId = organization;
        }

        return options;
    }

    /// <summary>How many providers were made (one per distinct effective settings).</summary>
    internal int Count => _providers.Count;

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        foreach (var provider in _providers.Values.Where(p => p.IsValueCreated))
        {
            provider.Value.Dispose();
        }

        _providers.Clear();
    }

    private DaytonaSandboxProvider Provider(DaytonaOptions options) =>
        _providers.GetOrAdd(Settings.Of(options), _ => new Lazy<DaytonaSandboxProvider>(() => new DaytonaSandboxProvider(options, _time, _loggers?.CreateLogger<DaytonaSandboxProvider>()))).Value;

    /// <summary>A config value as trimmed text; blank (such as an unset <c>${DAYTONA_API_KEY:-}</c>) counts as unset.</summary>
    private static string? Text(IReadOnlyDictionary<string, object?> config, string key) =>
        (config.GetValueOrDefault(key) as IConvertible)?.ToString(CultureInfo.InvariantCulture).Trim() is { Length: > 0 } text ? text : null;

    /// <summary>What tells providers apart; the other options come from the host and are the same for all.</summary>
    private readonly record struct Settings(string? ApiKey, string ApiUrl, string? Target, string? OrganizationId)
    {
        public static Settings Of(DaytonaOptions options) => new(options.ApiKey, options.ApiUrl, options.Target, options.OrganizationId);
    }
}
