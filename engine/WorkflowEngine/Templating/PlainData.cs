using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkflowEngine.Templating;

/// <summary>
/// The engine's data model for outputs and parameters: <see cref="string"/>, <see cref="bool"/>,
/// <see cref="long"/>, <see cref="double"/>, <see langword="null"/>, <c>List&lt;object?&gt;</c> and
/// <c>Dictionary&lt;string, object?&gt;</c>. Everything crosses between steps in this form.
/// </summary>
public static class PlainData
{
    /// <summary>JSON options used for tool requests and results: snake_case names, relaxed escaping.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new LenientStringConverter() },
    };

    /// <summary>Converts a JSON element to plain data.</summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Converts any serializable object (a tool result record, say) to plain data.</summary>
    public static object? FromObject(object? value) => value switch
    {
        null => null,
        string or bool or long or double => value,
        int i => (long)i,
        JsonElement element => FromJson(element),
        _ => FromJson(JsonSerializer.SerializeToElement(value, value.GetType(), JsonOptions)),
    };

    /// <summary>Parses text as a JSON object, allowing a Markdown code fence around it; <see langword="null"/> when it is not one.</summary>
    public static Dictionary<string, object?>? TryParseObject(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = trimmed.IndexOf('\n');
            var closing = trimmed.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine < 0 || closing <= firstLine)
            {
                return null;
            }

            trimmed = trimmed[(firstLine + 1)..closing].Trim();
        }

        if (!trimmed.StartsWith('{') || !trimmed.EndsWith('}'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            return FromJson(document.RootElement) as Dictionary<string, object?>;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Text for a value: strings as they are, everything else as compact JSON.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value, JsonOptions),
    };
}
