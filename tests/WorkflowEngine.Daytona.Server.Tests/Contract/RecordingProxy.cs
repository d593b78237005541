using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>One request/response pair that went through a <see cref="RecordingProxy"/>.</summary>
/// <param name="Sequence">The order in which requests arrived (1-based).</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The raw request target (path and query, still percent-encoded).</param>
/// <param name="RequestHeaders">The request headers (one value per name, joined with ", ").</param>
/// <param name="RequestContentType">The request's Content-Type, if any.</param>
/// <param name="RequestBody">The request body, up to <see cref="RecordingProxy.MaxRecordedBytes"/>.</param>
/// <param name="RequestBodyTruncated">Whether the request body was longer than what was kept.</param>
/// <param name="Status">The status sent to the client (0 when the connection was aborted before one was sent).</param>
/// <param name="ResponseContentType">The response's Content-Type, if any.</param>
/// <param name="ResponseBody">The response body, up to <see cref="RecordingProxy.MaxRecordedBytes"/>.</param>
/// <param name="ResponseBodyTruncated">Whether the response body was longer than what was kept.</param>
/// <param name="Intercepted">Whether <see cref="RecordingProxy.Intercept"/> answered instead of the target.</param>
/// <param name="Attempt">The how-many-th request for this method and path this was (1-based).</param>
/// <param name="Error">A forwarding failure (target unreachable, client gone), if any.</param>
internal sealed record RecordedExchange(
    int Sequence,
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> RequestHeaders,
    string? RequestContentType,
    byte[] RequestBody,
    bool RequestBodyTruncated,
    int Status,
    string? ResponseContentType,
    byte[] ResponseBody,
    bool ResponseBodyTruncated,
    bool Intercepted,
    int Attempt,
    string? Error)
{
    /// <summary>The path without the query.</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];

    public string RequestText => Encoding.UTF8.GetString(RequestBody);

    public string ResponseText => Encoding.UTF8.GetString(ResponseBody);

    public override string ToString() => $"#{Sequence} {Method} {PathAndQuery} -> {Status}{(Intercepted ? " (intercepted)" : "")}{(Error is null ? "" : " error: " + Error)}";
}

/// <summary>
/// A loopback HTTP proxy for tests (Kestrel on 127.0.0.1, a free port). It forwards every request (method, raw path
/// and query, headers except Host, streamed body) to <see cref="Target"/> and streams the answer back, recording each
/// exchange. <see cref="Intercept"/> lets a test answer instead of the target (429 with headers, 503, an empty or
/// malformed body, a delay, <see cref="HttpContext.Abort"/>), knowing how many times that method and path arrived.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    /// <summary>How much of each body is kept (the rest is still forwarded).</summary>
    public const int MaxRecordedBytes = 1024 * 1024;

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly ConcurrentQueue<RecordedExchange> _exchanges = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int _sequence;

    private RecordingProxy(WebApplication app, Uri? target)
    {
        _app = app;
        Target = target;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _app.Run(HandleAsync);
    }

    /// <summary>Where requests go; may be set after start (e.g. when the target needs the proxy's URL first).</summary>
    public Uri? Target { get; set; }

    /// <summary>The proxy's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>
    /// Called before forwarding with the context and the attempt number of this method and path (1 for the first);
    /// returning <see langword="true"/> means the hook answered (or aborted) and nothing is forwarded.
    /// </summary>
    public Func<HttpContext, int, Task<bool>>? Intercept { get; set; }

    /// <summary>Every exchange so far, in arrival order.</summary>
    public IReadOnlyList<RecordedExchange> Exchanges => _exchanges.OrderBy(e => e.Sequence).ToList();

    /// <summary>Starts a proxy forwarding to <paramref name="target"/> (which may be set later).</summary>
    public static async Task<RecordingProxy> StartAsync(Uri? target = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(RecordingProxy).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxRequestBodySize = null;
            options.AddServerHeader = false;
        });

        var proxy = new RecordingProxy(builder.Build(), target);
        await proxy._app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = proxy._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        proxy.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return proxy;
    }

    /// <summary>How many times <paramref name="method"/> <paramref name="path"/> (no query) arrived, intercepted or not.</summary>
    public int Count(string method, string path) => _counts.TryGetValue(CountKey(method, path), out var count) ? count : 0;

    /// <summary>Forgets the recorded exchanges and counts.</summary>
    public void Clear()
    {
        _exchanges.Clear();
        _counts.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }

    private static string CountKey(string method, string path) => $"{method.ToUpperInvariant()} {path}";

    private async Task HandleAsync(HttpContext context)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : request.Path + request.QueryString;
        var attempt = _counts.AddOrUpdate(CountKey(request.Method, rawTarget.Split('?', 2)[0]), 1, (_, count) => count + 1);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        var requestCapture = new CaptureStream(request.Body, MaxRecordedBytes);
        request.Body = requestCapture;
        var responseCapture = new CaptureStream(context.Response.Body, MaxRecordedBytes);
        context.Response.Body = responseCapture;

        string? error = null;
        var intercepted = false;
        try
        {
            if (Intercept is { } intercept && await intercept(context, attempt).ConfigureAwait(false))
            {
                intercepted = true;
            }
            else
            {
                await ForwardAsync(context, rawTarget, requestCapture).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            error = "the client went away";
        }
        catch (HttpRequestException ex)
        {
            error = $"forwarding failed: {ex.Message}";
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        }
        finally
        {
            if (intercepted)
            {
                // Whatever the hook did not read is recorded too.
                await DrainAsync(requestCapture).ConfigureAwait(false);
            }

            _exchanges.Enqueue(new RecordedExchange(
                sequence,
                request.Method,
                rawTarget,
                headers,
                request.ContentType,
                requestCapture.Captured,
                requestCapture.Truncated,
                context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 0 : context.Response.StatusCode,
                context.Response.ContentType,
                responseCapture.Captured,
                responseCapture.Truncated,
                intercepted,
                attempt,
                error));
        }
    }

    private async Task ForwardAsync(HttpContext context, string rawTarget, Stream requestBody)
    {
        var target = Target ?? throw new InvalidOperationException("RecordingProxy.Target is not set.");
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(target, rawTarget.TrimStart('/')));
        var bodyDetection = context.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (bodyDetection?.CanHaveBody ?? (request.ContentLength > 0))
        {
            message.Content = new StreamContent(requestBody);
        }
        else if (request.ContentLength == 0)
        {
            message.Content = new ByteArrayContent([]);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task DrainAsync(Stream stream)
    {
        try
        {
            var buffer = new byte[16 * 1024];
            while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or BadHttpRequestException)
        {
            // The connection is gone or was aborted by the hook: keep what was read.
        }
    }

    /// <summary>A pass-through stream (read or write) that keeps a copy of the first bytes.</summary>
    private sealed class CaptureStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public byte[] Captured => _copy.ToArray();

        public bool Truncated { get; private set; }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Keep(buffer.AsSpan(offset, read));
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Keep(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Keep(ReadOnlySpan<byte> data)
        {
            lock (_copy)
            {
                var room = limit - (int)_copy.Length;
                if (data.Length > room)
                {
                    Truncated = true;
                }

                if (room > 0)
                {
                    _copy.Write(data[..Math.Min(room, data.Length)]);
                }
            }
        }
    }
}
