using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Server.Tests.Contract;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Tests.Faults;

/// <summary>A fact that runs real local sandboxes: skipped with the reason off Linux or without bubblewrap.</summary>
public sealed class FaultFactAttribute : FactAttribute
{
    public FaultFactAttribute()
    {
        Skip = FaultRig.SkipReason;
    }
}

/// <summary>A theory that runs real local sandboxes: skipped with the reason off Linux or without bubblewrap.</summary>
public sealed class FaultTheoryAttribute : TheoryAttribute
{
    public FaultTheoryAttribute()
    {
        Skip = FaultRig.SkipReason;
    }
}

/// <summary>
/// The REST provider (short timeout, fast retries) → a <see cref="RecordingProxy"/> whose hook injects the fault →
/// a <see cref="DaytonaServer"/> advertising the proxy as its public URL (so toolbox calls pass it too) → real local
/// sandboxes. One rig per test class; each test resets the hook and the counts.
/// </summary>
public sealed class FaultRig : IAsyncLifetime
{
    public const string ApiKey = "fault-test-key";

    /// <summary>Short enough to keep the suite quick, long enough for a local create (well under a second).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    public const int RetryAttempts = 3;

    private readonly SemaphoreSlim _sharedGate = new(1, 1);
    private SandboxInfo? _shared;
    private readonly HttpClient _forwarder = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Why the rig cannot run here, or <see langword="null"/>.</summary>
    public static string? SkipReason =>
        !OperatingSystem.IsLinux() ? "The local sandbox provider runs on Linux only."
        : !File.Exists("/usr/bin/bwrap") ? "The local sandbox provider needs bubblewrap at /usr/bin/bwrap."
        : null;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "wfe-faults-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalSandboxProvider Local { get; private set; } = null!;

    internal RecordingProxy Proxy { get; private set; } = null!;

    public DaytonaServer Server { get; private set; } = null!;

    public DaytonaSandboxProvider Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Local = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = DataDirectory, WarmPool = false, CommandTimeout = TimeSpan.FromSeconds(30) });
        Proxy = await RecordingProxy.StartAsync();
        Server = await DaytonaServer.StartAsync(Local, new DaytonaServerOptions
        {
            ApiKey = ApiKey,
            BindAddress = "127.0.0.1",
            Port = 0,
            PublicBaseUrl = Proxy.BaseUrl.AbsoluteUri,
        });
        Proxy.Target = Server.BaseUrl;
        Client = NewClient();
    }

    /// <summary>
    /// A provider of its own over the proxy, with the rig's settings (fast retries; <see cref="RequestTimeout"/> unless
    /// <paramref name="requestTimeout"/> is given) and <paramref name="time"/> as its clock; the caller disposes it.
    /// </summary>
    public DaytonaSandboxProvider NewClient(TimeProvider? time = null, TimeSpan? requestTimeout = null) =>
        new(new DaytonaOptions
        {
            ApiKey = ApiKey,
            ApiUrl = Proxy.BaseUrl.AbsoluteUri + "api",
            Target = null,
            OrganizationId = null,
            RequestTimeout = requestTimeout ?? RequestTimeout,
            RetryAttempts = RetryAttempts,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryAfter = TimeSpan.FromSeconds(5),
            StartTimeout = TimeSpan.FromSeconds(30),
            CreateWatchTimeout = CreateWatchTimeout,
        },
        time);

    /// <summary>The watch after an ambiguous create (the default).</summary>
    public static readonly TimeSpan CreateWatchTimeout = TimeSpan.FromSeconds(60);

    /// <summary>No hook, no counts: the state each test starts from.</summary>
    public void Reset()
    {
        Proxy.Intercept = null;
        Proxy.Clear();
    }

    /// <summary>Creates a sandbox through the whole chain with no fault; fails the test otherwise.</summary>
    public async Task<SandboxInfo> CreateAsync(string prefix)
    {
        var created = await Client.CreateAsync(new SandboxSpec { Name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}" });
        Assert.True(created.Succeeded, created.Error?.ToString());
        return created.Value;
    }

    /// <summary>A sandbox created once for the class's tests (each uses its own files in it).</summary>
    public async Task<SandboxInfo> SharedSandboxAsync()
    {
        await _sharedGate.WaitAsync();
        try
        {
            return _shared ??= await CreateAsync("shared");
        }
        finally
        {
            _sharedGate.Release();
        }
    }

    /// <summary>The ids of the sandboxes the local provider behind the server holds.</summary>
    public async Task<IReadOnlyList<string>> LocalIdsAsync()
    {
        var listed = await Local.ListAsync();
        Assert.True(listed.Succeeded, listed.Error?.ToString());
        return listed.Value.Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A file's text inside a sandbox, read straight from the local provider (not through the faulty chain).</summary>
    public async Task<string> ReadLocalAsync(string sandboxId, string path)
    {
        var read = await Local.Files.ReadAsync(sandboxId, path);
        Assert.True(read.Succeeded, read.Error?.ToString());
        return Encoding.UTF8.GetString(read.Value);
    }

    /// <summary>
    /// Sends the intercepted request to the server itself and buffers the answer, not tied to the client's connection:
    /// the server does the work (creates the sandbox, runs the command) even if the client gives up meanwhile.
    /// </summary>
    public async Task<(int Status, string? ContentType, byte[] Body)> ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(Server.BaseUrl, request.Path.Value!.TrimStart('/') + request.QueryString));
        message.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
        if (body.Length > 0 || request.ContentLength == 0)
        {
            message.Content = new ByteArrayContent(body.ToArray());
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var response = await _forwarder.SendAsync(message, CancellationToken.None);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync(CancellationToken.None));
    }

    /// <summary>Reads the request body now, so that it can still be forwarded after the client has gone.</summary>
    public static async Task BufferRequestBodyAsync(HttpContext context)
    {
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        body.Position = 0;
        context.Request.Body = body;
    }

    /// <summary>Holds the request open without answering until the client closes it.</summary>
    public static async Task HoldUntilClientLeavesAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up on the answer.
        }
    }

    /// <summary>Sends a forwarded answer to the client.</summary>
    public static async Task AnswerAsync(HttpContext context, (int Status, string? ContentType, byte[] Body) answer)
    {
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    /// <summary>Forwards, then holds the answer for <paramref name="delay"/> (past the client's timeout) before sending it.</summary>
    public async Task ForwardThenDelayAsync(HttpContext context, TimeSpan delay)
    {
        var (status, contentType, body) = await ForwardAsync(context);
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(body);
    }

    /// <summary>Forwards (the server does the work), then drops the client's connection instead of answering.</summary>
    public async Task ForwardThenAbortAsync(HttpContext context)
    {
        await ForwardAsync(context);
        context.Abort();
    }

    /// <summary>Answers with a status, a body (empty when <see langword="null"/>) and headers.</summary>
    public static async Task RespondAsync(HttpContext context, int status, string? body = null, string? contentType = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (!string.IsNullOrEmpty(body))
        {
            context.Response.ContentType = contentType ?? "application/json";
            await context.Response.WriteAsync(body);
        }
    }

    /// <summary>An error body as Daytona's API sends it (NestJS filter).</summary>
    public static string ApiError(int status, string message, string path) =>
        $$"""{"path":"{{path}}","timestamp":"2026-01-01T12:00:00.000Z","statusCode":{{status}},"error":"{{ReasonPhrases.GetReasonPhrase(status)}}","message":"{{message}}"}""";

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        _forwarder.Dispose();
        _sharedGate.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (Local is not null)
        {
            foreach (var sandbox in (await Local.ListAsync()).Value ?? [])
            {
                await Local.DeleteAsync(sandbox.Id);
            }

            Local.Dispose();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
