using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>
/// Resolves which sandbox a call means: the one named; else the session's current sandbox; else the one this run
/// already works in; else (for methods that need one) a new ephemeral sandbox, deleted when the run ends.
/// </summary>
public sealed class SandboxTargets(SandboxProviderSelector providers, SandboxSessions sessions, RunSandboxes runs)
{
    /// <summary>Finds or creates the target sandbox.</summary>
    public async ValueTask<SandboxResult<SandboxTarget>> ResolveAsync(string? sandbox, string? language, bool createWhenMissing, CancellationToken cancellationToken)
    {
        var selected = providers.Select();
        if (!selected.Succeeded)
        {
            return selected.Error;
        }

        var provider = selected.Value;
        var context = ToolCallContext.Current;
        if (!string.IsNullOrWhiteSpace(sandbox) && !IsVague(sandbox))
        {
            var found = await provider.GetAsync(sandbox.Trim(), cancellationToken);
            if (!found.Succeeded)
            {
                return found.Error;
            }

            Remember(found.Value.Id);
            return new SandboxTarget(found.Value.Id, provider);
        }

        if (Session(context) is { } session && sessions.Current(session) is { } current && (await provider.GetAsync(current, cancellationToken)).Succeeded)
        {
            return new SandboxTarget(current, provider);
        }

        if (context?.RunId is { } runId && runs.Current(runId) is { } inRun)
        {
            return new SandboxTarget(inRun, provider);
        }

        if (!createWhenMissing || context?.RunId is null)
        {
            return SandboxResult<SandboxTarget>.Fail(SandboxErrorKind.InvalidArgument,
                "Invalid parameter 'sandbox_id': no sandbox was named and none is in use. Name one (an id or name from list_sandboxes) or create one first.");
        }

        var created = await CreateAsync(provider, new SandboxSpec { Language = language ?? DefaultLanguage() }, cancellationToken);
        return created.Succeeded ? new SandboxTarget(created.Value.Id, provider) : created.Error;
    }

    /// <summary>Creates a sandbox for the current call and records it with the run and the session.</summary>
    public async ValueTask<SandboxResult<SandboxInfo>> CreateAsync(ISandboxProvider provider, SandboxSpec spec, CancellationToken cancellationToken)
    {
        var created = await provider.CreateAsync(spec, cancellationToken);
        if (!created.Succeeded)
        {
            return created;
        }

        var context = ToolCallContext.Current;
        var session = Session(context);
        if (session is not null)
        {
            sessions.SetCurrent(session, created.Value.Id);
        }

        if (context?.RunId is { } runId)
        {
            runs.AddEphemeral(runId, created.Value.Id, provider, WillKeep(spec.Persistent));
        }

        return created;
    }

    /// <summary>Whether a sandbox created now outlives the run: it persists, belongs to a session, or the run keeps its sandboxes.</summary>
    public static bool WillKeep(bool persistent)
    {
        var context = ToolCallContext.Current;
        return persistent || context?.RunId is null || Session(context) is not null || IsTrue(context.RunInputs.GetValueOrDefault("keep"));
    }

    /// <summary>Forgets a deleted sandbox in the run and the sessions.</summary>
    public void Forget(string sandboxId)
    {
        sessions.Forget(sandboxId);
        if (ToolCallContext.Current?.RunId is { } runId)
        {
            runs.Forget(runId, sandboxId);
        }
    }

    /// <summary>
    /// A tool call's <c>timeout</c> in seconds: absent or 0 is the provider's default; negative or not a number is an
    /// error. Values past what a <see cref="TimeSpan"/> holds become its maximum, which every provider refuses with its own limit named.
    /// </summary>
    public static SandboxResult<TimeSpan?> Timeout(double? seconds) => seconds switch
    {
        null or 0 => (TimeSpan?)null,
        { } s when !(s > 0) => SandboxResult<TimeSpan?>.Fail(SandboxErrorKind.InvalidArgument,
            $"timeout must be a positive number of seconds (or 0 for the default), got {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}"),
        { } s when s >= TimeSpan.MaxValue.TotalSeconds => TimeSpan.MaxValue,
        { } s => TimeSpan.FromSeconds(s),
    };

    /// <summary>The configured default language (<c>config.default_language</c>), python when unset.</summary>
    public static string DefaultLanguage() => ToolCallContext.Current?.Config("default_language") as string is { Length: > 0 } language ? language : "python";

    private void Remember(string sandboxId)
    {
        var context = ToolCallContext.Current;
        if (context?.RunId is { } runId)
        {
            runs.Use(runId, sandboxId);
        }

        if (Session(context) is { } session)
        {
            sessions.SetCurrent(session, sandboxId);
        }
    }

    private static string? Session(ToolCallContext? context) =>
        context?.RunInputs.GetValueOrDefault("session") as string is { Length: > 0 } session && SandboxSessions.IsValidName(session) ? session : null;

    /// <summary>Phrases like "my environment" name no particular sandbox.</summary>
    private static bool IsVague(string sandbox) => sandbox.Trim().ToLowerInvariant() is "current" or "my environment" or "my sandbox" or "the sandbox" or "default";

    internal static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1" || s.Equals("yes", StringComparison.OrdinalIgnoreCase),
        long l => l != 0,
        _ => false,
    };
}
