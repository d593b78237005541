using System.Globalization;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>Daytona's <c>Sandbox</c> (and, without <see cref="Env"/>, <c>SandboxListItem</c>) as this server reports it.</summary>
internal sealed class SandboxView
{
    public const string LanguageLabel = "code-toolbox-language";

    /// <summary>Marks the sandboxes an API key created, to count them against its cap; never shown to clients, never taken from them.</summary>
    public const string KeyLabel = "wfe.serve-key";
    private const double GiB = 1024d * 1024 * 1024;

    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string Name { get; init; }
    public string? Snapshot { get; init; }
    public required string User { get; init; }
    public Dictionary<string, string>? Env { get; init; }
    public required Dictionary<string, string> Labels { get; init; }
    public bool Public { get; init; }
    public required bool NetworkBlockAll { get; init; }
    public required string Target { get; init; }
    public required double Cpu { get; init; }
    public required double Gpu { get; init; }
    public required double Memory { get; init; }
    public required double Disk { get; init; }
    public required string State { get; init; }
    public required string DesiredState { get; init; }
    public required double AutoStopInterval { get; init; }
    public required double AutoDeleteInterval { get; init; }
    public required string CreatedAt { get; init; }
    public required string UpdatedAt { get; init; }
    public required string LastActivityAt { get; init; }
    public required string ToolboxProxyUrl { get; init; }

    /// <summary>The view of <paramref name="info"/>; <paramref name="state"/> overrides its state (e.g. <c>destroyed</c> after a delete).</summary>
    public static SandboxView From(SandboxInfo info, string organizationId, string target, string toolboxProxyUrl, bool withEnv = true, string? state = null)
    {
        var daytonaState = state ?? info.State switch
        {
            "started" => "started",
            "stopped" => "stopped",
            "error" => "error",
            "starting" => "starting",
            "stopping" => "stopping",
            _ => "unknown",
        };
        var labels = new Dictionary<string, string>(info.Labels, StringComparer.Ordinal)
        {
            [LanguageLabel] = info.Language,
        };
        labels.Remove(KeyLabel);
        return new SandboxView
        {
            Id = info.Id,
            OrganizationId = organizationId,
            Name = info.Name,
            Snapshot = info.Image,
            User = "sandbox",
            Env = withEnv ? new Dictionary<string, string>(info.EnvironmentVars, StringComparer.Ordinal) : null,
            Labels = labels,
            NetworkBlockAll = !info.Network,
            Target = target,
            Cpu = info.Resources.Cpus ?? 0,
            Gpu = 0,
            Memory = info.Resources.MemoryBytes is { } memory ? Math.Round(memory / GiB, 3) : 0,
            Disk = info.Resources.DiskBytes is { } disk ? Math.Round(disk / GiB, 3) : 0,
            State = daytonaState,
            DesiredState = daytonaState switch
            {
                "destroyed" => "destroyed",
                "stopped" => "stopped",
                _ => "started",
            },
            AutoStopInterval = info.IdleTtl is { } ttl ? Math.Round(ttl.TotalMinutes) : 0,
            // Daytona's ephemeral sandboxes are the ones deleted when they stop (autoDeleteInterval 0); -1 = never.
            AutoDeleteInterval = info.Persistent ? -1 : 0,
            CreatedAt = Iso(info.CreatedAt),
            UpdatedAt = Iso(info.LastAccessedAt),
            LastActivityAt = Iso(info.LastAccessedAt),
            ToolboxProxyUrl = toolboxProxyUrl,
        };
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
