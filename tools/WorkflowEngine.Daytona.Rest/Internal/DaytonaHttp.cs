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

    /// <summary>How many timeouts of one safe call are retried: one stall recovers, a hung server costs two timeouts, not one per attempt.</summary>
    private const int MaxTimeoutRetries = 1;

    private static readonly ResiliencePropertyKey<int> TimeoutsKey = new("wfe.timeouts");

    private readonly RestClient _client;
    private readonly ResiliencePipeline<RestResponse> _retry;
    private readonly TimeSpan _requestTimeout;

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

        _requestTimeout = options.RequestTimeout;
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
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response && ShouldRetry(response, args.Context)),
                    DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response, maxRetryAfter) : null),
                })
                .Build();
    }

    /// <summary>
    /// Sends a request and reads a JSON body into <typeparamref name="T"/> (<see cref="Unit"/> ignores the body).
    /// <paramref name="safe"/> requests (GET, DELETE, toolbox reads) are retried on 429, 502, 503, 504, connection
    /// failures and (once) a timeout; others are sent exactly once. A call that gave up after retries reports one
    /// error, the last one, saying how many attempts were made.
    /// </summary>
    /// <param name="operation">What is being done, for messages ("create sandbox").</param>
    /// <param name="build">Builds the request (once per attempt).</param>
    /// <param name="safe">Whether the call may be sent again.</param>
    /// <param name="cancellationToken">Cancels the call; cancellation throws.</param>
    /// <param name="onFailure">Turns a particular failed response into a result of its own; <see langword="null"/> for the usual error.</param>
    public async Task<SandboxResult<T>> SendAsync<T>(string operation, Func<RestRequest> build, bool safe, CancellationToken cancellationToken, Func<RestResponse, SandboxResult<T>?>? onFailure = null)
    {
        var attempts = 0;
        RestResponse response;
        if (safe)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                // The context carries the per-call timeout count that ShouldRetry reads.
                response = await _retry.ExecuteAsync(
                    async ctx =>
                    {
                        attempts++;
                        return await _client.ExecuteAsync(build(), ctx.CancellationToken).ConfigureAwait(false);
                    },
                    context).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
        else
        {
            attempts = 1;
            response = await _client.ExecuteAsync(build(), cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!IsSuccess(response) && onFailure?.Invoke(response) is { } handled)
        {
            return handled;
        }

        return Read<T>(operation, response, attempts);
    }

    /// <summary>
    /// Sends a request exactly once with no time limit of its own: <paramref name="cancellationToken"/> is its only
    /// limit, and cancelling it gives an <see cref="ResponseStatus.Aborted"/> response rather than an exception.
    /// For a create, whose answer is still awaited after the caller has been told it timed out.
    /// </summary>
    public Task<RestResponse> SendOnceAsync(RestRequest request, CancellationToken cancellationToken)
    {
        request.Timeout = Timeout.InfiniteTimeSpan;
        return _client.ExecuteAsync(request, cancellationToken);
    }

    /// <summary>Whether the exchange completed with a 2xx status.</summary>
    public static bool IsSuccess(RestResponse response) =>
        response.ResponseStatus == ResponseStatus.Completed && (int)response.StatusCode is >= 200 and <= 299;

    /// <summary>
    /// The result of an exchange: a 2xx body read into <typeparamref name="T"/> (<see cref="Unit"/> ignores the body),
    /// or the error of a failed exchange (saying how many <paramref name="attempts"/> were made when more than one).
    /// </summary>
    public SandboxResult<T> Read<T>(string operation, RestResponse response, int attempts = 1)
    {
        var status = (int)response.StatusCode;
        if (!IsSuccess(response))
        {
            var error = DaytonaErrors.From(operation, response, _requestTimeout, status == 0 ? Target(response) : null);
            return attempts > 1 ? error with { Message = $"{error.Message}; gave up after {attempts} attempts" } : error;
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

    private Uri? Target(RestResponse response)
    {
        try
        {
            return response.Request is { } request ? _client.BuildUri(request) : null;
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether a safe call is sent again: a transient answer, or its first timeout.</summary>
    private static bool ShouldRetry(RestResponse response, ResilienceContext context)
    {
        if (IsTransient(response))
        {
            return true;
        }

        if (response.ResponseStatus != ResponseStatus.TimedOut || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var timeouts = context.Properties.GetValue(TimeoutsKey, 0);
        context.Properties.Set(TimeoutsKey, timeouts + 1);
        return timeouts < MaxTimeoutRetries;
    }

    /// <summary>Whether a response is worth retrying: 429, 502, 503, 504 or a connection failure (not a timeout, not a cancellation).</summary>
    internal static bool IsTransient(RestResponse response) =>
        (int)response.StatusCode switch
        {
            429 or 502 or 503 or 504 => true,
            0 => response.ResponseStatus == ResponseStatus.Error,
            _ => false,
        };

    /// <summary>
    /// The wait a 429/503 asks for: the largest <c>Retry-After</c> / <c>Retry-After-{tier}</c> (seconds or an HTTP
    /// date); failing that, the largest <c>X-RateLimit-Reset-{tier}</c> of a tier with nothing remaining (seconds, or
    /// Unix seconds when that large). Capped at <paramref name="max"/>; <see langword="null"/> leaves the backoff to Polly.
    /// </summary>
    internal static TimeSpan? RetryAfter(RestResponse response, TimeSpan max)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers is null)
        {
            return null;
        }

        TimeSpan? retryAfter = null;
        TimeSpan? reset = null;
        foreach (var header in response.Headers)
        {
            if (header.Name is not { } name)
            {
                continue;
            }

            if (name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Retry-After-", StringComparison.OrdinalIgnoreCase))
            {
                retryAfter = Max(retryAfter, ParseWait(header.Value, epochSeconds: false));
            }
            else if (name.StartsWith("X-RateLimit-Reset", StringComparison.OrdinalIgnoreCase)
                     && Exhausted(response, name["X-RateLimit-Reset".Length..]))
            {
                reset = Max(reset, ParseWait(header.Value, epochSeconds: true));
            }
        }

        var wait = retryAfter ?? reset;
        return wait is { } w && w > max ? max : wait;
    }

    /// <summary>Whether the tier (<c>""</c> or <c>"-{tier}"</c>) has no requests left, or does not say.</summary>
    private static bool Exhausted(RestResponse response, string tierSuffix)
    {
        var remaining = response.Headers!.FirstOrDefault(h => string.Equals(h.Name, "X-RateLimit-Remaining" + tierSuffix, StringComparison.OrdinalIgnoreCase))?.Value;
        return remaining is null || !double.TryParse(remaining.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var left) || left <= 0;
    }

    private static TimeSpan? ParseWait(string? text, bool epochSeconds)
    {
        var value = text?.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            // Reset headers are "seconds until reset" in Daytona (NestJS throttler); some gateways send a Unix time instead.
            if (epochSeconds && seconds > 1_000_000_000)
            {
                var delta = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) - DateTimeOffset.UtcNow;
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            return TimeSpan.FromSeconds(seconds);
        }

        if (!epochSeconds && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delta = date - DateTimeOffset.UtcNow;
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return null;
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
