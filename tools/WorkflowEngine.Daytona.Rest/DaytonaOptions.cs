namespace WorkflowEngine.Daytona.Rest;

/// <summary>
/// Settings of the Daytona REST provider. Values not set explicitly come from the <c>DAYTONA_*</c> environment
/// variables; <see cref="Validate"/> reports every problem at once.
/// </summary>
public sealed class DaytonaOptions
{
    /// <summary>The default API address.</summary>
    public const string DefaultApiUrl = "https://app.daytona.io/api";

    /// <summary>The largest <see cref="CreateWatchTimeout"/>: a create answer later than that is not coming.</summary>
    public static readonly TimeSpan MaxCreateWatchTimeout = TimeSpan.FromHours(1);

    /// <summary>The organization-scoped API key. Default: <c>DAYTONA_API_KEY</c>.</summary>
    public string? ApiKey { get; set; } = Env("DAYTONA_API_KEY");

    /// <summary>The API address including the <c>/api</c> prefix. Default: <c>DAYTONA_API_URL</c>, else <see cref="DefaultApiUrl"/>.</summary>
    public string ApiUrl { get; set; } = Env("DAYTONA_API_URL") ?? DefaultApiUrl;

    /// <summary>The region sandboxes are created in. Default: <c>DAYTONA_TARGET</c>, else the organization's default.</summary>
    public string? Target { get; set; } = Env("DAYTONA_TARGET");

    /// <summary>The organization, sent as <c>X-Daytona-Organization-ID</c> when set. Default: <c>DAYTONA_ORGANIZATION_ID</c>.</summary>
    public string? OrganizationId { get; set; } = Env("DAYTONA_ORGANIZATION_ID");

    /// <summary>The limit of one HTTP request (commands with a timeout get that timeout plus 5 s). Default 60 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The limit of one upload or download (Daytona's SDKs use 30 min). Default 30 min.</summary>
    public TimeSpan FileTransferTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest file <c>ReadAsync</c> returns whole; bigger files must be downloaded. Default 10 MiB.</summary>
    public long MaxReadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How often a safe request (GET, DELETE) is retried after 429, 502, 503, 504 or a connection failure. Default 3.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>How long create and start wait for the state <c>started</c> (and stop for <c>stopped</c>); zero waits without limit. Default 60 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the provider keeps watching, after a create whose outcome is unknown (it timed out, the connection was
    /// lost, the server answered 5xx, or the caller cancelled), for the sandbox that create may still make. The caller
    /// gets the failure at once, after one lookup by the create's token label; when that finds nothing, the provider
    /// keeps waiting for the create's own answer in the background for this long past <see cref="RequestTimeout"/>
    /// (after a 5xx or a lost connection: for this long), then looks the label up once more, and deletes what it finds.
    /// Disposing the provider cuts the wait short (one last lookup) and waits for it. Zero: the one lookup only.
    /// At most 1 h. Default 60 s.
    /// </summary>
    public TimeSpan CreateWatchTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry delay, doubled per attempt with jitter (tests shorten it).</summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait honoured from a <c>Retry-After</c> header.</summary>
    internal TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Returns every problem with these settings in one message, or <see langword="null"/>.</summary>
    public string? Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add("set DAYTONA_API_KEY (or config api_key in tools.yaml)");
        }

        if (!Uri.TryCreate(ApiUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"api_url must be an absolute http(s) URL, got '{ApiUrl}' (DAYTONA_API_URL)");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"request_timeout must be positive, got {RequestTimeout}");
        }

        if (RetryAttempts < 0)
        {
            problems.Add($"retry_attempts must be 0 or more, got {RetryAttempts}");
        }

        if (StartTimeout < TimeSpan.Zero)
        {
            problems.Add($"start_timeout must be 0 (no limit) or positive, got {StartTimeout}");
        }

        if (CreateWatchTimeout < TimeSpan.Zero || CreateWatchTimeout > MaxCreateWatchTimeout)
        {
            problems.Add($"create_watch_timeout must be between 0 (no watching after a failed create) and {MaxCreateWatchTimeout.TotalMinutes:0} min, got {CreateWatchTimeout}");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>A copy whose changes leave these settings alone.</summary>
    internal DaytonaOptions Copy() => (DaytonaOptions)MemberwiseClone();

    private static string? Env(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
