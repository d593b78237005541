using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>
/// Reads <c>environment_vars</c> whose values are scalars of any kind as text, so that YAML such as
/// <c>PORT: 8080</c> or <c>DEBUG: true</c> works; lists, objects and null are refused.
/// </summary>
internal sealed class EnvironmentVarsConverter : JsonConverter<Dictionary<string, string>>
{
    /// <inheritdoc />
    public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object of NAME: value");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            result[name] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => throw new JsonException($"the value of '{name}' must be text, a number or a boolean"),
            };
        }

        return result;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
