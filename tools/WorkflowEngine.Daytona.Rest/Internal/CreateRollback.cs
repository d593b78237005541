using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Sends <c>POST /sandbox</c> once and undoes a create that did not hand a sandbox to its caller. A create whose
/// outcome is unknown (no answer within the request timeout, a lost connection, a 5xx, an unreadable 2xx, the caller
/// cancelled) is looked up at once by its create-token label, and what is found is deleted. When nothing is found yet,
/// a watch goes on in the background for <see cref="DaytonaOptions.CreateWatchTimeout"/>: it keeps waiting for the
/// create's own answer (which names the sandbox), else looks the label up once more, and deletes what it finds. The
/// caller is not kept waiting for it. Watches are tracked: each outcome is logged, and <see cref="StopAsync"/> (the
/// provider's dispose) cuts their waits short, so that they look up once more now, and waits for them.
/// </summary>
internal sealed class CreateRollback
{
    private const string Operation = "create sandbox";
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    /// <summary>How long a leftover sandbox's deletion waits out <c>409 state change in progress</c> (Daytona's own create waits 30 s).</summary>
    private static readonly TimeSpan LeftoverDeleteLimit = TimeSpan.FromSeconds(30);

    private readonly DaytonaSandboxProvider _provider;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _watches = new();

    public CreateRollback(DaytonaSandboxProvider provider, TimeProvider time, ILogger logger)
    {
        _provider = provider;
        _time = time;
        _logger = logger;
    }

    private TimeSpan WatchTime => _provider.Options.CreateWatchTimeout;

    /// <summary>
    /// Sends the create exactly once. Returns the server's sandbox, or the create's error with what became of the
    /// sandbox it may have made appended; throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled, once that sandbox has been looked up.
    /// </summary>
    public async Task<SandboxResult<SandboxDto>> CreateAsync(Func<RestRequest> build, string token, CancellationToken cancellationToken)
    {
        var requestTimeout = _provider.Options.RequestTimeout;

        // Both limits are armed before the request leaves, on the injected clock. The answer's limit is not the
        // caller's: the request stays open after the caller is told it timed out or cancelled, for its answer names the sandbox.
        var answer = new PendingAnswer(requestTimeout + WatchTime, _time, _stopping.Token);
        using var callerWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var callerLimit = Task.Delay(requestTimeout, _time, callerWait.Token);
        answer.Start(_provider.Http.SendOnceAsync(build(), answer.Token));

        if (await Task.WhenAny(answer.Response, callerLimit).ConfigureAwait(false) == answer.Response)
        {
            await callerWait.CancelAsync().ConfigureAwait(false);
            answer.Dispose();
            var response = await answer.Response.ConfigureAwait(false);
            var created = _provider.Http.Read<SandboxDto>(Operation, response);
            if (created.Succeeded || (!DaytonaHttp.IsSuccess(response) && !DaytonaErrors.MayHaveReachedServer(response)))
            {
                return created;
            }

            // A 2xx whose body could not be read made a sandbox this call cannot name; a lost connection or a 5xx may
            // have. Create is never sent twice, so clean up instead.
            return created.Error with { Message = $"{created.Error.Message}; {await RemoveLeftoverAsync(token, pending: null).ConfigureAwait(false)}" };
        }

        // No answer in time, or the caller gave up: the server may be creating it still.
        var outcome = await RemoveLeftoverAsync(token, answer).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var error = DaytonaErrors.TimedOut(Operation, requestTimeout);
        return error with { Message = $"{error.Message}; {outcome}" };
    }

    /// <summary>
    /// Deletes a sandbox this provider created but will not hand out. Gone already counts as done; <c>409</c> (a
    /// state change still running, e.g. still creating) is retried for up to <see cref="LeftoverDeleteLimit"/>.
    /// </summary>
    public async Task<SandboxResult<Unit>> DeleteLeftoverAsync(string id)
    {
        var started = _time.GetTimestamp();
        var pause = FirstPause;
        while (true)
        {
            var deleted = await _provider.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (deleted.Succeeded || deleted.Error.Kind == SandboxErrorKind.NotFound)
            {
                return Unit.Value;
            }

            if (deleted.Error.Kind != SandboxErrorKind.Conflict || _time.GetElapsedTime(started) + pause > LeftoverDeleteLimit)
            {
                return deleted;
            }

            await Task.Delay(pause, _time).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    /// <summary>Completes when every watch running now has ended (tests wait for the background work with it).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_watches.Keys);

    /// <summary>Cuts every watch's wait short (each looks up once more now and deletes what it finds) and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await WhenIdleAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Looks the token up now and deletes what is found; when nothing is, starts a watch (when
    /// <see cref="DaytonaOptions.CreateWatchTimeout"/> allows). Returns what happened, to be appended to the create's
    /// error. Runs even when the caller cancelled (each request bounded by the request timeout).
    /// </summary>
    private async Task<string> RemoveLeftoverAsync(string token, PendingAnswer? pending)
    {
        var found = await FindAsync(token).ConfigureAwait(false);
        if (found.Succeeded && found.Value.Count > 0)
        {
            // One create makes at most one sandbox: nothing is left to wait for.
            if (pending is not null)
            {
                Track(pending.AbandonAsync());
            }

            return await DeleteAllAsync(found.Value).ConfigureAwait(false);
        }

        var watching = WatchTime > TimeSpan.Zero;
        if (watching)
        {
            Track(WatchAsync(token, pending));
        }
        else if (pending is not null)
        {
            Track(pending.AbandonAsync());
        }

        var then = watching
            ? $"the provider keeps watching for it for {WatchTime.TotalSeconds:0.###} s (create_watch_timeout) and deletes it if it appears"
            : null;
        if (found.Succeeded)
        {
            return then is null ? "no sandbox from this request was found" : $"no sandbox from this request was found yet; {then}";
        }

        var byHand = $"delete the sandbox labelled {DaytonaSandboxProvider.CreateTokenLabel}={token} if there is one";
        return then is null
            ? $"it may have created a sandbox all the same, and looking for it failed ({found.Error.Message}); {byHand}"
            : $"it may have created a sandbox all the same, and looking for it failed ({found.Error.Message}); {then}, else {byHand}";
    }

    /// <summary>
    /// The background half: waits for the create's answer (bounded by its limit) or, when the answer has come
    /// already, for <see cref="DaytonaOptions.CreateWatchTimeout"/>; deletes the sandbox the answer names, else the
    /// ones a last lookup finds. Logs the outcome; never throws.
    /// </summary>
    private async Task WatchAsync(string token, PendingAnswer? pending)
    {
        try
        {
            if (pending is not null)
            {
                var response = await pending.Response.ConfigureAwait(false);
                var remaining = pending.Remaining(_time);
                pending.Dispose();
                if (DaytonaHttp.IsSuccess(response)
                    && _provider.Http.Read<SandboxDto>(Operation, response) is { Succeeded: true } answered
                    && IsFromThisRequest(answered.Value, token))
                {
                    Report(token, [answered.Value.Id], await DeleteAllAsync([answered.Value.Id]).ConfigureAwait(false));
                    return;
                }

                // An answer that names nothing (a 5xx, a lost connection) before the watch ends: look now, and once
                // more when the watch ends, for a gateway's error does not stop the server behind it.
                if (remaining > TimeSpan.Zero && !_stopping.IsCancellationRequested)
                {
                    var now = await FindAsync(token).ConfigureAwait(false);
                    if (now.Succeeded && now.Value.Count > 0)
                    {
                        Report(token, now.Value, await DeleteAllAsync(now.Value).ConfigureAwait(false));
                        return;
                    }

                    await WaitAsync(remaining).ConfigureAwait(false);
                }
            }
            else
            {
                await WaitAsync(WatchTime).ConfigureAwait(false);
            }

            var found = await FindAsync(token).ConfigureAwait(false);
            if (!found.Succeeded)
            {
                _logger.LogWarning(
                    "A failed create may have made a sandbox, and looking for it failed again ({Error}); delete the sandbox labelled {Label}={Token} if there is one",
                    found.Error.Message,
                    DaytonaSandboxProvider.CreateTokenLabel,
                    token);
            }
            else if (found.Value.Count > 0)
            {
                Report(token, found.Value, await DeleteAllAsync(found.Value).ConfigureAwait(false));
            }
            else if (_stopping.IsCancellationRequested)
            {
                _logger.LogWarning(
                    "Stopped watching for the sandbox of a failed create early (the provider was disposed) and none was found; if a sandbox labelled {Label}={Token} appears, delete it",
                    DaytonaSandboxProvider.CreateTokenLabel,
                    token);
            }
            else
            {
                _logger.LogDebug("No sandbox appeared for the failed create with token {Token}", token);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A background task has nobody to throw to: say what to clean up instead.
            _logger.LogError(
                ex,
                "Watching for the sandbox of a failed create failed; delete the sandbox labelled {Label}={Token} if there is one",
                DaytonaSandboxProvider.CreateTokenLabel,
                token);
        }
    }

    /// <summary>Waits on the injected clock, or less when the provider is stopping.</summary>
    private async Task WaitAsync(TimeSpan time)
    {
        try
        {
            await Task.Delay(time, _time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: look up once more now.
        }
    }

    /// <summary>The ids of the sandboxes carrying this token's label (checked here too: a server that ignores the filter must not get every sandbox deleted).</summary>
    private async Task<SandboxResult<IReadOnlyList<string>>> FindAsync(string token)
    {
        var filter = JsonSerializer.Serialize(new Dictionary<string, string> { [DaytonaSandboxProvider.CreateTokenLabel] = token });
        var found = await _provider.Http.SendAsync<ListSandboxesDto>(
            "look for the sandbox",
            () => new RestRequest("sandbox", Method.Get).AddQueryParameter("labels", filter).AddQueryParameter("limit", "100"),
            safe: true,
            CancellationToken.None).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        return (found.Value.Items ?? [])
            .Where(item => HasToken(item, token))
            .Select(item => item.Id)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static bool HasToken(SandboxDto sandbox, string token) =>
        sandbox.Labels is { } labels && labels.TryGetValue(DaytonaSandboxProvider.CreateTokenLabel, out var value) && value == token;

    /// <summary>The create's own answer names its sandbox; only one labelled with another create's token is refused.</summary>
    private static bool IsFromThisRequest(SandboxDto sandbox, string token) =>
        !string.IsNullOrEmpty(sandbox.Id)
        && (sandbox.Labels is not { } labels || !labels.TryGetValue(DaytonaSandboxProvider.CreateTokenLabel, out var value) || value == token);

    /// <summary>Deletes each sandbox; returns what happened, in words.</summary>
    private async Task<string> DeleteAllAsync(IReadOnlyList<string> ids)
    {
        var problems = new List<string>();
        foreach (var id in ids)
        {
            var deleted = await DeleteLeftoverAsync(id).ConfigureAwait(false);
            if (!deleted.Succeeded)
            {
                problems.Add($"deleting sandbox {id} failed ({deleted.Error.Message}); delete it by hand");
            }
        }

        var which = ids.Count == 1 ? $"sandbox {ids[0]}" : $"sandboxes {string.Join(", ", ids)}";
        return problems.Count == 0
            ? $"the server had created {which} all the same, so it was deleted"
            : $"the server had created {which} all the same; {string.Join("; ", problems)}";
    }

    private void Report(string token, IReadOnlyList<string> ids, string outcome)
    {
        if (outcome.EndsWith("so it was deleted", StringComparison.Ordinal))
        {
            _logger.LogInformation("A failed create (token {Token}) made {Sandboxes} after all: {Outcome}", token, string.Join(", ", ids), outcome);
        }
        else
        {
            _logger.LogWarning("A failed create (token {Token}) made {Sandboxes} after all: {Outcome}", token, string.Join(", ", ids), outcome);
        }
    }

    /// <summary>Keeps a background task until it ends, so that <see cref="StopAsync"/> can wait for it.</summary>
    private void Track(Task watch)
    {
        _watches.TryAdd(watch, true);
        _ = watch.ContinueWith(done => _watches.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The create request still open after its caller was answered, and the limit that ends it.</summary>
    private sealed class PendingAnswer : IDisposable
    {
        private readonly CancellationTokenSource _limit;
        private readonly CancellationTokenRegistration _stop;
        private readonly TimeSpan _length;
        private readonly long _started;

        public PendingAnswer(TimeSpan length, TimeProvider time, CancellationToken stopping)
        {
            _length = length;
            _started = time.GetTimestamp();
            _limit = new CancellationTokenSource(length, time);
            _stop = stopping.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _limit);
        }

        public CancellationToken Token => _limit.Token;

        public Task<RestResponse> Response { get; private set; } = null!;

        public void Start(Task<RestResponse> response) => Response = response;

        /// <summary>How much of the limit is left.</summary>
        public TimeSpan Remaining(TimeProvider time) => _length - time.GetElapsedTime(_started);

        /// <summary>Ends the request (its answer is no longer needed) and waits for it to close.</summary>
        public async Task AbandonAsync()
        {
            await _limit.CancelAsync().ConfigureAwait(false);
            await Response.ConfigureAwait(false);
            Dispose();
        }

        public void Dispose()
        {
            _stop.Dispose();
            _limit.Dispose();
        }
    }
}
