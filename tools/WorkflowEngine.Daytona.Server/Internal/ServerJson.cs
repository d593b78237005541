using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>camelCase JSON as Daytona writes it; nulls left out; unknown request fields ignored.</summary>
internal static class ServerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
