using System.Globalization;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>Daytona sandboxes to <see cref="SandboxInfo"/>, and Daytona states to the provider-neutral ones.</summary>
internal static class SandboxMapping
{
    /// <summary>The label that records the sandbox's language (as Daytona's SDKs set it).</summary>
    public const string LanguageLabel = "code-toolbox-language";

    private const long GiB = 1024L * 1024 * 1024;

    /// <summary>
    /// <c>started</c>, <c>stopped</c> or <c>error</c> for settled states; <c>starting</c> or <c>stopping</c> while
    /// Daytona moves between them; <c>unknown</c> for anything else (unknown values never fail).
    /// </summary>
    public static string State(string? daytonaState) => daytonaState?.ToLowerInvariant() switch
    {
        "started" or "resizing" or "snapshotting" or "forking" => "started",
        "stopped" or "archived" or "paused" or "destroyed" => "stopped",
        "error" or "build_failed" => "error",
        "creating" or "starting" or "restoring" or "resuming" or "pulling_snapshot" or "pending_build" or "building_snapshot" => "starting",
        "stopping" or "destroying" or "archiving" or "pausing" => "stopping",
        _ => "unknown",
    };

    /// <summary>The provider-neutral description of a Daytona sandbox.</summary>
    public static SandboxInfo ToInfo(SandboxDto dto)
    {
        var labels = dto.Labels ?? new Dictionary<string, string>();
        var created = ParseDate(dto.CreatedAt) ?? DateTimeOffset.UnixEpoch;
        return new SandboxInfo
        {
            Id = dto.Id,
            Name = string.IsNullOrEmpty(dto.Name) ? dto.Id : dto.Name,
            Language = labels.TryGetValue(LanguageLabel, out var language) && !string.IsNullOrEmpty(language) ? language : "python",
            State = State(dto.State),
            CreatedAt = created,
            LastAccessedAt = ParseDate(dto.LastActivityAt) ?? ParseDate(dto.UpdatedAt) ?? created,
            Persistent = dto.AutoDeleteInterval is not 0,
            Image = dto.Snapshot,
            EnvironmentVars = dto.Env ?? new Dictionary<string, string>(),
            Resources = new SandboxResources
            {
                Cpus = dto.Cpu,
                MemoryBytes = dto.Memory is { } memory ? (long)(memory * GiB) : null,
                DiskBytes = dto.Disk is { } disk ? (long)(disk * GiB) : null,
            },
            Network = !dto.NetworkBlockAll,
            Isolation = "daytona",
            IdleTtl = dto.AutoStopInterval is > 0 and var minutes ? TimeSpan.FromMinutes(minutes) : null,
            Labels = labels,
        };
    }

    private static DateTimeOffset? ParseDate(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
