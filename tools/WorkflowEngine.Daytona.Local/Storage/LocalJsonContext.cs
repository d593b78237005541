using System.Text.Json.Serialization;

namespace WorkflowEngine.Daytona.Local.Storage;

/// <summary>Source-generated JSON for the registry's columns.</summary>
[JsonSerializable(typeof(SandboxRecordSpec))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;
