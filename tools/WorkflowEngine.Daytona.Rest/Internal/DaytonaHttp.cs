using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly;
using Polly.Retry;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// The HTTP side of the provider: one <see cref="RestClient"/> over the API URL (toolbox calls use absolute URLs),
/// the Daytona headers on every call, retries for safe calls only, and status-to-error mapping.
/// </summary>
internal sealed class DaytonaHttp : IDisposable
{
    /// <summary>The SDK version sent as <c>X-Daytona-SDK-Version</c> (≥ 0.167.0 makes the daemon split stdout and stderr).</summary>
    public const string SdkVersion = "0.205.1";

    /// <summary>camelCase JSON, nulls left out, unknown fields ignored.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly RestClient _client;
    private readonly ResiliencePipeline<RestResponse> _retry;

    public DaytonaHttp(DaytonaOptions options)
    {
        var clientOptions = new RestClientOptions(options.ApiUrl)
        {
            Timeout = options.RequestTimeout,
            UserAgent = $"sdk-csharp/{SdkVersion}",
            ThrowOnAnyError = false,
        };
        _client = new RestClient(clientOptions);
        _client.AddDefaultHeader("Authorization", $"Bearer {options.ApiKey}");
        _client.AddDefaultHeader("X-Daytona-Source", "sdk-csharp");
        _client.AddDefaultHeader("X-Daytona-SDK-Version", SdkVersion);
        if (!string.IsNullOrWhiteSpace(options.OrganizationId))
        {
            _client.AddDefaultHeader("X-Daytona-Organization-ID", options.OrganizationId);
        }

        var maxRetryAfter = options.MaxRetryAfter;
        _retry = options.RetryAttempts <= 0
            ? ResiliencePipeline<RestResponse>.Empty
            : new ResiliencePipelineBuilder<RestResponse>()
                .AddRetry(new RetryStrategyOptions<RestResponse>
                {
                    MaxRetryAttempts = options.RetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = maxRetryAfter,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response && IsTransient(response)),
                    DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response, maxRetryAfter) : null),
                })
                .Build();
    }

    /// <summary>
    /// Sends a request and reads a JSON body into <typeparamref name="T"/> (<see cref="Unit"/> ignores the body).
    /// <paramref name="safe"/> requests (GET, DELETE, toolbox reads) are retried on 429, 502, 503, 504 and
    /// connection failures; others are sent exactly once.
    /// </summary>
    /// <param name="operation">What is being done, for messages ("create sandbox").</param>
    /// <param name="build">Builds the request (once per attempt).</param>
    /// <param name="safe">Whether the call may be sent again.</param>
    /// <param name="cancellationToken">Cancels the call; cancellation throws.</param>
    /// <param name="onFailure">Turns a particular failed response into a result of its own; <see langword="null"/> for the usual error.</param>
    public async Task<SandboxResult<T>> SendAsync<T>(string operation, Func<RestRequest> build, bool safe, CancellationToken cancellationToken, Func<RestResponse, SandboxResult<T>?>? onFailure = null)
    {
        var response = safe
            ? await _retry.ExecuteAsync(async token => await _client.ExecuteAsync(build(), token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : await _client.ExecuteAsync(build(), cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var status = (int)response.StatusCode;
        if (response.ResponseStatus != ResponseStatus.Completed || status < 200 || status > 299)
        {
            return onFailure?.Invoke(response) ?? DaytonaErrors.From(operation, response);
        }

        if (typeof(T) == typeof(Unit))
        {
            return SandboxResult<T>.Ok((T)(object)Unit.Value);
        }

        try
        {
            var value = string.IsNullOrWhiteSpace(response.Content) ? default : JsonSerializer.Deserialize<T>(response.Content, Json);
            return value is null
                ? SandboxResult<T>.Fail(SandboxErrorKind.Failed, $"Failed to {operation}: the response (HTTP {status}) had no body")
                : SandboxResult<T>.Ok(value);
        }
        catch (JsonException ex)
        {
            return SandboxResult<T>.Fail(SandboxErrorKind.Failed, $"Failed to {operation}: the response (HTTP {status}) is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// Sends a GET and returns the body as a stream read from the network (nothing buffered), or
    /// <see langword="null"/> when the call failed (any status other than 2xx or no connection). Never retried.
    /// </summary>
    public async Task<Stream?> DownloadStreamAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var stream = await _client.DownloadStreamAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return stream;
    }

    /// <summary>A request with a JSON body.</summary>
    public static RestRequest WithJson(RestRequest request, object body) =>
        request.AddStringBody(JsonSerializer.Serialize(body, body.GetType(), Json), ContentType.Json);

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <summary>Whether a response is worth retrying: 429, 502, 503, 504 or a connection failure (not a timeout, not a cancellation).</summary>
    internal static bool IsTransient(RestResponse response) =>
        (int)response.StatusCode switch
        {
            429 or 502 or 503 or 504 => true,
            0 => response.ResponseStatus == ResponseStatus.Error,
            _ => false,
        };

    /// <summary>The wait a 429/503 asks for: <c>Retry-After</c> or the largest <c>Retry-After-{tier}</c>, in seconds or as an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(RestResponse response, TimeSpan max)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers is null)
        {
            return null;
        }

        TimeSpan? wait = null;
        foreach (var header in response.Headers)
        {
            if (header.Name is null
                || !(header.Name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)
                     || header.Name.StartsWith("Retry-After-", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var value = header.Value?.Trim();
            TimeSpan? parsed = null;
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                parsed = TimeSpan.FromSeconds(seconds);
            }
            else if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var delta = date - DateTimeOffset.UtcNow;
                parsed = delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (parsed is { } p && (wait is null || p > wait))
            {
                wait = p;
            }
        }

        return wait is { } w && w > max ? max : wait;
    }
}
