using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RestSharp;
using WorkflowEngine.Daytona.Rest.Internal;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest;

/// <summary>
/// Sandboxes on Daytona, over its REST API (<c>/api/sandbox…</c>) and each sandbox's toolbox
/// (<c>{toolboxProxyUrl}/{id}/…</c>). Lifecycle calls wait for the target state; safe calls are retried on
/// rate limits and transient failures, and nothing that creates or runs anything is sent twice.
/// Files and Git go through the toolbox's <c>/files</c> and <c>/git</c> routes; uploads and downloads stream.
/// A spec's <c>git_repo</c> is cloned into <c>/workspace</c> once the sandbox has started; a failed clone deletes it.
/// A create that fails leaves no sandbox behind: one that never started is deleted, and when the create call itself
/// fails in a way that may have reached the server (timeout, lost connection, 5xx, cancellation) the sandbox it may
/// have made is found by its one-off <c>wfe.create-token</c> label and deleted; when it is not there yet, the provider
/// keeps watching for it in the background for <see cref="DaytonaOptions.CreateWatchTimeout"/> (the create's own
/// answer, then the label once more) and deletes it when it appears. Disposing the provider waits for those watches.
/// </summary>
public sealed class DaytonaSandboxProvider : ISandboxProvider, IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FastPollingPhase = TimeSpan.FromSeconds(5);

    private readonly DaytonaOptions _options;
    private readonly DaytonaHttp? _http;
    private readonly SandboxError? _configurationError;
    private readonly ConcurrentDictionary<string, SandboxDto> _toolboxCache = new(StringComparer.Ordinal);
    private readonly CreateRollback _rollback;
    private int _disposed;

    /// <summary>Creates the provider. Invalid settings (such as a missing API key) do not throw: every operation then fails with <see cref="DaytonaOptions.Validate"/>'s message.</summary>
    /// <param name="options">The settings; <see cref="DaytonaOptions"/>'s defaults read the <c>DAYTONA_*</c> environment variables.</param>
    /// <param name="timeProvider">The clock of the create's limits and of the watch after a failed create; default the system's.</param>
    /// <param name="logger">Where the outcome of a watch after a failed create is written; default nowhere.</param>
    public DaytonaSandboxProvider(DaytonaOptions options, TimeProvider? timeProvider = null, ILogger<DaytonaSandboxProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        if (options.Validate() is { } problem)
        {
            _configurationError = new SandboxError(
                string.IsNullOrWhiteSpace(options.ApiKey) ? SandboxErrorKind.Authentication : SandboxErrorKind.InvalidArgument,
                problem);
        }
        else
        {
            _http = new DaytonaHttp(options);
        }

        Process = new DaytonaSandboxProcess(this);
        Files = new DaytonaSandboxFileSystem(this);
        Git = new DaytonaSandboxGit(this);
        _rollback = new CreateRollback(this, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public string Name => "daytona";

    /// <inheritdoc />
    public ISandboxProcess Process { get; }

    /// <inheritdoc />
    public ISandboxFileSystem Files { get; }

    /// <inheritdoc />
    public ISandboxGit Git { get; }

    /// <summary>The settings problem that stops every operation, or <see langword="null"/>.</summary>
    public SandboxError? ConfigurationError => _configurationError;

    /// <summary>
    /// The label that carries a one-off token with every create, so that a sandbox whose create answer was lost can be
    /// found (<c>GET /sandbox?labels=…</c>) and deleted. It is left out of <see cref="SandboxInfo.Labels"/>: it means
    /// nothing once the create has succeeded, and users should not come to rely on it.
    /// </summary>
    internal const string CreateTokenLabel = "wfe.create-token";

    /// <summary>Makes the token of each create (tests pin it).</summary>
    internal Func<string> NewCreateToken { get; set; } = () => Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public async ValueTask<SandboxResult<SandboxInfo>> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_configurationError is { } error)
        {
            return error;
        }

        var token = NewCreateToken();
        var labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal)
        {
            [SandboxMapping.LanguageLabel] = spec.Language,
            [CreateTokenLabel] = token,
        };
        var body = new CreateSandboxDto
        {
            Name = string.IsNullOrWhiteSpace(spec.Name) ? null : spec.Name,
            Env = new Dictionary<string, string>(spec.EnvironmentVars, StringComparer.Ordinal),
            Labels = labels,
            Target = string.IsNullOrWhiteSpace(_options.Target) ? null : _options.Target,
            NetworkBlockAll = spec.Network ? null : true,
            // Daytona has no "ephemeral" field: SDKs send autoDeleteInterval = 0 (delete when stopped).
            AutoDeleteInterval = spec.Persistent ? null : 0,
        };
        if (!string.IsNullOrWhiteSpace(spec.Image))
        {
            // Resources are only accepted with buildInfo (a snapshot fixes them).
            body.BuildInfo = new BuildInfoDto { DockerfileContent = $"FROM {spec.Image}\n" };
            body.Cpu = spec.Resources.Cpus is { } cpus ? (int)Math.Ceiling(cpus) : null;
            body.Memory = spec.Resources.MemoryBytes is { } memory ? (int)Math.Ceiling(memory / (1024d * 1024 * 1024)) : null;
            body.Disk = spec.Resources.DiskBytes is { } disk ? (int)Math.Ceiling(disk / (1024d * 1024 * 1024)) : null;
        }

        // Sent once; a failure that may have created a sandbox all the same is cleaned up there (a cancellation throws).
        var created = await _rollback.CreateAsync(() => DaytonaHttp.WithJson(new RestRequest("sandbox", Method.Post), body), token, cancellationToken).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        SandboxResult<SandboxInfo> started;
        try
        {
            started = await WaitAsync(created.Value, "start", IsStarted, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _rollback.DeleteLeftoverAsync(created.Value.Id).ConfigureAwait(false);
            throw;
        }

        if (!started.Succeeded)
        {
            // The caller gets no id, so a sandbox that never started would be nobody's.
            var deleted = await _rollback.DeleteLeftoverAsync(created.Value.Id).ConfigureAwait(false);
            return started.Error with
            {
                Message = deleted.Succeeded
                    ? $"{started.Error.Message}; the sandbox was deleted"
                    : $"{started.Error.Message}; deleting sandbox {created.Value.Id} failed too ({deleted.Error.Message}); delete it by hand",
            };
        }

        return string.IsNullOrWhiteSpace(spec.GitRepo)
            ? started
            : await CloneOrDeleteAsync(started.Value, spec.GitRepo, spec.GitBranch, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<SandboxInfo>> GetAsync(string sandbox, CancellationToken cancellationToken = default)
    {
        var found = await GetDtoAsync(sandbox, cancellationToken).ConfigureAwait(false);
        return found.Succeeded ? ToInfo(found.Value) : found.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<IReadOnlyList<SandboxInfo>>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (_configurationError is { } error)
        {
            return error;
        }

        var all = new List<SandboxInfo>();
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var pageCursor = cursor;
            var page = await Http.SendAsync<ListSandboxesDto>(
                "list sandboxes",
                () =>
                {
                    var request = new RestRequest("sandbox", Method.Get).AddQueryParameter("limit", "100");
                    return pageCursor is null ? request : request.AddQueryParameter("cursor", pageCursor);
                },
                safe: true,
                cancellationToken).ConfigureAwait(false);
            if (!page.Succeeded)
            {
                return page.Error;
            }

            all.AddRange((page.Value.Items ?? []).Select(ToInfo));
            cursor = string.IsNullOrEmpty(page.Value.NextCursor) ? null : page.Value.NextCursor;
            if (cursor is not null && !seenCursors.Add(cursor))
            {
                return SandboxResult<IReadOnlyList<SandboxInfo>>.Fail(SandboxErrorKind.Failed, $"Failed to list sandboxes: the server repeated the cursor '{cursor}'");
            }
        }
        while (cursor is not null);

        return all;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, CancellationToken cancellationToken = default)
    {
        if (Check(sandbox) is { } error)
        {
            return error;
        }

        var deleted = await Http.SendAsync<Unit>(
            $"delete sandbox {sandbox}",
            () => new RestRequest("sandbox/{id}", Method.Delete).AddUrlSegment("id", sandbox),
            safe: true,
            cancellationToken).ConfigureAwait(false);
        Forget(sandbox);
        return deleted;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<SandboxInfo>> StartAsync(string sandbox, CancellationToken cancellationToken = default)
    {
        if (Check(sandbox) is { } error)
        {
            return error;
        }

        var started = await LifecycleAsync(sandbox, "start", cancellationToken).ConfigureAwait(false);
        return started.Succeeded
            ? await WaitAsync(started.Value, "start", IsStarted, cancellationToken).ConfigureAwait(false)
            : started.Error;
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<SandboxInfo>> StopAsync(string sandbox, CancellationToken cancellationToken = default)
    {
        if (Check(sandbox) is { } error)
        {
            return error;
        }

        var stopped = await LifecycleAsync(sandbox, "stop", cancellationToken).ConfigureAwait(false);
        return stopped.Succeeded
            ? await WaitAsync(stopped.Value, "stop", state => state is "stopped" or "destroyed", cancellationToken).ConfigureAwait(false)
            : stopped.Error;
    }

    /// <summary>
    /// Ends the watches after failed creates (each looks its sandbox up once more now and deletes it), waits for them,
    /// then closes the HTTP client. Blocks for as long as those lookups and deletions take; prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose()
    {
        // Idempotent: the DI container and the provider factory may both dispose the default provider.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The watches never capture a synchronization context (ConfigureAwait(false) throughout), so this cannot deadlock.
            _rollback.StopAsync().GetAwaiter().GetResult();
            _http?.Dispose();
        }
    }

    /// <summary>Ends the watches after failed creates (each looks its sandbox up once more now and deletes it), waits for them, then closes the HTTP client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _rollback.StopAsync().ConfigureAwait(false);
            _http?.Dispose();
        }
    }

    /// <summary>Completes when the watches after failed creates running now have ended.</summary>
    internal Task WhenCreateWatchesDoneAsync() => _rollback.WhenIdleAsync();

    internal DaytonaOptions Options => _options;

    /// <summary>
    /// Sends a toolbox request: resolves <paramref name="sandbox"/>'s toolbox URL and builds the request over
    /// <c>{toolboxProxyUrl}/{id}/{route}</c>.
    /// </summary>
    internal async Task<SandboxResult<T>> ToolboxAsync<T>(string sandbox, string operation, string route, Method method, Action<RestRequest>? configure, bool safe, CancellationToken cancellationToken)
    {
        var target = await ResolveToolboxAsync(sandbox, cancellationToken).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        var url = ToolboxUri(target.Value, route);
        return await Http.SendAsync<T>(
            $"{operation} in sandbox {sandbox}",
            () =>
            {
                var request = new RestRequest(url, method);
                configure?.Invoke(request);
                return request;
            },
            safe,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The absolute URL of a toolbox route of a resolved sandbox.</summary>
    internal static Uri ToolboxUri(SandboxDto sandbox, string route) =>
        new($"{sandbox.ToolboxProxyUrl!.TrimEnd('/')}/{Uri.EscapeDataString(sandbox.Id)}/{route}");

    internal DaytonaHttp Http => _http ?? throw new InvalidOperationException(_configurationError?.Message);

    /// <summary>The settings or argument problem of a call on <paramref name="sandbox"/>, or <see langword="null"/>.</summary>
    internal SandboxError? Check(string sandbox)
    {
        if (_configurationError is { } error)
        {
            return error;
        }

        return string.IsNullOrWhiteSpace(sandbox) ? new SandboxError(SandboxErrorKind.InvalidArgument, "a sandbox id or name is required") : null;
    }

    /// <summary>The sandbox's id and toolbox URL, from a cache filled by create and get.</summary>
    internal async ValueTask<SandboxResult<SandboxDto>> ResolveToolboxAsync(string sandbox, CancellationToken cancellationToken)
    {
        if (_toolboxCache.TryGetValue(sandbox, out var cached))
        {
            return cached;
        }

        var found = await GetDtoAsync(sandbox, cancellationToken).ConfigureAwait(false);
        if (found.Succeeded && string.IsNullOrEmpty(found.Value.ToolboxProxyUrl))
        {
            return SandboxResult<SandboxDto>.Fail(SandboxErrorKind.Failed, $"Sandbox {sandbox} has no toolboxProxyUrl");
        }

        return found;
    }

    private async ValueTask<SandboxResult<SandboxDto>> GetDtoAsync(string sandbox, CancellationToken cancellationToken)
    {
        if (Check(sandbox) is { } error)
        {
            return error;
        }

        var found = await Http.SendAsync<SandboxDto>(
            $"get sandbox {sandbox}",
            () => new RestRequest("sandbox/{id}", Method.Get).AddUrlSegment("id", sandbox),
            safe: true,
            cancellationToken).ConfigureAwait(false);
        if (found.Succeeded)
        {
            Remember(sandbox, found.Value);
        }

        return found;
    }

    private Task<SandboxResult<SandboxDto>> LifecycleAsync(string sandbox, string action, CancellationToken cancellationToken) =>
        Http.SendAsync<SandboxDto>(
            $"{action} sandbox {sandbox}",
            () => new RestRequest("sandbox/{id}/" + action, Method.Post).AddUrlSegment("id", sandbox),
            safe: false,
            cancellationToken);

    /// <summary>Polls <c>GET /sandbox/{id}</c> every 0.1 s, slowing to 1 s after 5 s, until <paramref name="done"/> or <see cref="DaytonaOptions.StartTimeout"/>.</summary>
    private async ValueTask<SandboxResult<SandboxInfo>> WaitAsync(SandboxDto sandbox, string action, Func<string, bool> done, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var interval = FirstPoll;
        var limit = _options.StartTimeout;
        while (true)
        {
            Remember(sandbox.Id, sandbox);
            var state = sandbox.State?.ToLowerInvariant() ?? "unknown";
            if (done(state))
            {
                return ToInfo(sandbox);
            }

            if (state is "error" or "build_failed" || (action == "start" && state is "destroyed" or "destroying"))
            {
                return SandboxResult<SandboxInfo>.Fail(
                    SandboxErrorKind.Failed,
                    $"Sandbox {sandbox.Id} failed to {action} with state: {state}, error reason: {sandbox.ErrorReason ?? "none given"}");
            }

            var remaining = limit - clock.Elapsed;
            if (limit > TimeSpan.Zero && remaining <= TimeSpan.Zero)
            {
                return SandboxResult<SandboxInfo>.Fail(
                    SandboxErrorKind.Timeout,
                    $"Sandbox {sandbox.Id} did not {action} within {limit.TotalSeconds:0.#} s (state: {state}); raise start_timeout or check the Daytona dashboard");
            }

            await Task.Delay(limit > TimeSpan.Zero && remaining < interval ? remaining : interval, cancellationToken).ConfigureAwait(false);
            if (clock.Elapsed > FastPollingPhase)
            {
                interval = TimeSpan.FromTicks(Math.Min((long)(interval.Ticks * 1.1), MaxPoll.Ticks));
            }

            var next = await GetDtoAsync(sandbox.Id, cancellationToken).ConfigureAwait(false);
            if (!next.Succeeded)
            {
                return next.Error;
            }

            sandbox = next.Value;
        }
    }

    private static bool IsStarted(string state) => state == "started";

    /// <summary>
    /// Clones <paramref name="repository"/> into <c>/workspace</c> itself, as the local provider does; when that fails
    /// (or is cancelled) the new sandbox is deleted so that a failed create leaves nothing behind.
    /// </summary>
    private async ValueTask<SandboxResult<SandboxInfo>> CloneOrDeleteAsync(SandboxInfo sandbox, string repository, string? branch, CancellationToken cancellationToken)
    {
        SandboxResult<string> cloned;
        try
        {
            cloned = await Git.CloneAsync(sandbox.Id, repository, SandboxPaths.Root, branch, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _rollback.DeleteLeftoverAsync(sandbox.Id).ConfigureAwait(false);
            throw;
        }

        if (cloned.Succeeded)
        {
            return sandbox with { GitRepo = repository };
        }

        var message = $"The sandbox was not created because cloning failed: {cloned.Error.Message}";
        var deleted = await _rollback.DeleteLeftoverAsync(sandbox.Id).ConfigureAwait(false);
        if (!deleted.Succeeded)
        {
            message += $". Deleting sandbox {sandbox.Id} failed too ({deleted.Error.Message}); delete it by hand";
        }

        return new SandboxError(cloned.Error.Kind, message);
    }

    /// <summary>The provider-neutral view, without the create-token label.</summary>
    private static SandboxInfo ToInfo(SandboxDto dto)
    {
        var info = SandboxMapping.ToInfo(dto);
        return info.Labels.ContainsKey(CreateTokenLabel)
            ? info with { Labels = info.Labels.Where(l => l.Key != CreateTokenLabel).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) }
            : info;
    }

    private void Remember(string key, SandboxDto sandbox)
    {
        if (string.IsNullOrEmpty(sandbox.ToolboxProxyUrl) || string.IsNullOrEmpty(sandbox.Id))
        {
            return;
        }

        _toolboxCache[key] = sandbox;
        _toolboxCache[sandbox.Id] = sandbox;
        if (!string.IsNullOrEmpty(sandbox.Name))
        {
            _toolboxCache[sandbox.Name] = sandbox;
        }
    }

    /// <summary>Whether the toolbox address of <paramref name="sandbox"/> is cached.</summary>
    internal bool IsToolboxCached(string sandbox) => _toolboxCache.ContainsKey(sandbox);

    /// <summary>Drops the cached toolbox address of <paramref name="sandbox"/> (by id and name).</summary>
    internal void Forget(string sandbox)
    {
        if (_toolboxCache.TryRemove(sandbox, out var removed))
        {
            _toolboxCache.TryRemove(removed.Id, out _);
            if (!string.IsNullOrEmpty(removed.Name))
            {
                _toolboxCache.TryRemove(removed.Name, out _);
            }
        }
    }
}
