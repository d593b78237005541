namespace WorkflowEngine.Daytona.Server;

/// <summary>Settings of the Daytona-compatible server. <see cref="Validate"/> reports every problem at once.</summary>
public sealed class DaytonaServerOptions
{
    /// <summary>The address to listen on. Default <c>127.0.0.1</c>: only this machine can call it.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one. Default 3000, as Daytona's self-hosted API.</summary>
    public int Port { get; set; } = 3000;

    /// <summary>The bearer token every request must carry. Required: the server never runs open.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether a sandbox created with <c>networkBlockAll: false</c> gets network. Default <see langword="false"/>: sandboxes never have network, and responses say <c>networkBlockAll: true</c>.</summary>
    public bool AllowNetwork { get; set; }

    /// <summary>The <c>organizationId</c> reported on sandboxes. Default <c>local</c>.</summary>
    public string OrganizationId { get; set; } = "local";

    /// <summary>The <c>target</c> (region) reported on sandboxes. Default <c>local</c>.</summary>
    public string Target { get; set; } = "local";

    /// <summary>
    /// The base URL clients reach this server at, advertised in every sandbox's <c>toolboxProxyUrl</c> (for a reverse
    /// proxy in front). Default <see langword="null"/>: the address the server listens on.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// How many sandboxes the API key may hold at once (those it created and has not deleted). The provider's own cap
    /// (<c>LocalSandboxOptions.MaxSandboxes</c>, default 64) still applies to all sandboxes together. Default 32: a
    /// client cannot take every sandbox from local workflows and the CLI.
    /// </summary>
    public int MaxSandboxesPerKey { get; set; } = 32;

    /// <summary>Returns every problem with these settings in one message, or <see langword="null"/>.</summary>
    public string? Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add("an API key is required (--api-key or WFE_SERVE_API_KEY)");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"port must be between 0 and 65535, got {Port}");
        }

        if (!System.Net.IPAddress.TryParse(BindAddress, out _))
        {
            problems.Add($"bind address must be an IP address such as 127.0.0.1, got '{BindAddress}'");
        }

        if (PublicBaseUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"public base URL must be an absolute http(s) URL, got '{url}'");
        }

        if (MaxSandboxesPerKey < 1)
        {
            problems.Add($"the most sandboxes per API key must be at least 1, got {MaxSandboxesPerKey}");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
