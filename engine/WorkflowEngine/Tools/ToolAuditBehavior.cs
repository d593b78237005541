using System.Text.Json;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.Extensions.Options;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Tools;

/// <summary>
/// Appends one JSON line per tool call to <see cref="WorkflowEngineOptions.AuditLogPath"/>: time, run, tool, method,
/// parameters with secrets and environment values redacted, outcome and duration.
/// </summary>
public sealed partial class ToolAuditBehavior(IOptions<WorkflowEngineOptions> options, TimeProvider timeProvider)
    : IPipelineBehavior<InvokeToolRequest, IReadOnlyDictionary<string, object?>>
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly SemaphoreSlim WriteLock = new(1, 1);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, object?>> Handle(
        InvokeToolRequest message,
        MessageHandlerDelegate<InvokeToolRequest, IReadOnlyDictionary<string, object?>> next,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var result = await next(message, cancellationToken);
        if (options.Value.AuditLogPath is { Length: > 0 } path)
        {
            var entry = new Dictionary<string, object?>
            {
                ["time"] = timeProvider.GetUtcNow().ToString("O"),
                ["run_id"] = message.Execution?.RunId,
                ["step"] = message.Execution?.QualifiedId,
                ["tool"] = message.ToolId,
                ["method"] = message.Method,
                ["params"] = Redact(message.Params),
                ["success"] = result.GetValueOrDefault("success"),
                ["error_type"] = result.GetValueOrDefault("error_type"),
                ["sandbox_id"] = result.GetValueOrDefault("sandbox_id"),
                ["dry_run"] = message.Execution?.DryRun ?? false,
                ["duration_ms"] = Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds, 3),
            };
            await AppendAsync(path, JsonSerializer.Serialize(entry, PlainData.JsonOptions), cancellationToken);
        }

        return result;
    }

    /// <summary>Replaces secret-looking values and every environment value with <c>***</c>; long contents become their length.</summary>
    internal static Dictionary<string, object?> Redact(IReadOnlyDictionary<string, object?> parameters) =>
        parameters.ToDictionary(
            p => p.Key,
            p => SecretName().IsMatch(p.Key) ? "***"
                : p.Key is "environment_vars" or "env" && p.Value is IDictionary<string, object?> env ? env.ToDictionary(e => e.Key, _ => (object?)"***")
                : p.Key is "content" or "code" && p.Value is string { Length: > 200 } text ? $"<{text.Length} characters>"
                : p.Value,
            StringComparer.Ordinal);

    private static async Task AppendAsync(string path, string line, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

            // Owner-only: tool parameters (code, paths, sandbox ids) are no business of other local users. Created so
            // whatever the umask, and narrowed when an older version left it wider.
            var fileOptions = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = OwnerOnly;
            }

            await using var file = new FileStream(path, fileOptions);
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file.SafeFileHandle) & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(file.SafeFileHandle, OwnerOnly);
            }

            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    [GeneratedRegex("(key|token|secret|password|passwd|credential|auth)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
