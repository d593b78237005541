using System.Text.Json.Serialization;

namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>What a standby runs: the argument vector, the full environment and the working directory.</summary>
internal sealed record StandbyHeader(
    [property: JsonPropertyName("argv")] IReadOnlyList<string> Argv,
    [property: JsonPropertyName("env")] IReadOnlyDictionary<string, string> Env,
    [property: JsonPropertyName("cwd")] string Cwd);

/// <summary>Source-generated JSON for <see cref="StandbyHeader"/>.</summary>
[JsonSerializable(typeof(StandbyHeader))]
internal sealed partial class StandbyJsonContext : JsonSerializerContext;
