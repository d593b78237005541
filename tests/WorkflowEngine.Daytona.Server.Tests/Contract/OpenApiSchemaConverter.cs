using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>
/// Turns OpenAPI 3.0 and Swagger 2.0 schema objects into JSON Schema draft 2020-12: component refs
/// (<c>#/components/schemas/X</c>, <c>#/definitions/X</c>) become <c>#/$defs/X</c>, <c>nullable</c> becomes a
/// type array with <c>"null"</c>, and documentation-only keywords (<c>example</c>, <c>x-*</c>, <c>discriminator</c>,
/// <c>xml</c>…) and Swagger's <c>type/format: file</c> are dropped. Each built schema carries only the definitions it reaches.
/// </summary>
internal sealed class OpenApiSchemaConverter
{
    public const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    private static readonly HashSet<string> SchemaMaps = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
    private static readonly HashSet<string> SchemaValues = ["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems", "additionalItems"];
    private static readonly HashSet<string> SchemaArrays = ["allOf", "anyOf", "oneOf", "prefixItems"];
    private static readonly HashSet<string> Dropped = ["example", "examples", "discriminator", "xml", "externalDocs", "nullable", "collectionFormat", "readOnly", "writeOnly"];

    /// <summary>Formats JSON Schema defines; others (int64, double, binary, file…) are OpenAPI hints and are dropped.</summary>
    private static readonly HashSet<string> StandardFormats =
    [
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6",
        "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template", "json-pointer", "relative-json-pointer", "regex",
    ];

    private readonly JsonObject _definitions;
    private readonly string _refPrefix;
    private readonly ConcurrentDictionary<string, (JsonNode Schema, IReadOnlySet<string> Refs)> _converted = new(StringComparer.Ordinal);

    /// <param name="definitions">The document's named schemas.</param>
    /// <param name="refPrefix">How the document refers to them: <c>#/components/schemas/</c> or <c>#/definitions/</c>.</param>
    public OpenApiSchemaConverter(JsonObject definitions, string refPrefix)
    {
        _definitions = definitions;
        _refPrefix = refPrefix;
    }

    /// <summary>Whether the document defines a named schema.</summary>
    public bool HasDefinition(string name) => _definitions.ContainsKey(name);

    /// <summary>A standalone 2020-12 schema document for <paramref name="schema"/>, with the <c>$defs</c> it reaches.</summary>
    public JsonObject BuildDocument(JsonNode schema)
    {
        var refs = new HashSet<string>(StringComparer.Ordinal);
        var converted = Convert(schema, refs);
        var root = converted as JsonObject ?? new JsonObject { ["allOf"] = new JsonArray(converted) };

        var defs = new JsonObject();
        var pending = new Queue<string>(refs);
        var seen = new HashSet<string>(refs, StringComparer.Ordinal);
        while (pending.TryDequeue(out var name))
        {
            if (!_definitions.ContainsKey(name))
            {
                throw new InvalidOperationException($"The contract refers to '{_refPrefix}{name}', which it does not define.");
            }

            var (definition, nested) = ConvertDefinition(name);
            defs[name] = definition.DeepClone();
            foreach (var next in nested.Where(seen.Add))
            {
                pending.Enqueue(next);
            }
        }

        var document = new JsonObject { ["$schema"] = Draft202012 };
        foreach (var (key, value) in root)
        {
            document[key] = value?.DeepClone();
        }

        if (defs.Count > 0)
        {
            document["$defs"] = defs;
        }

        return document;
    }

    /// <summary>A standalone schema for a named definition.</summary>
    public JsonObject BuildDefinitionDocument(string name) =>
        BuildDocument(new JsonObject { ["$ref"] = _refPrefix + name });

    private (JsonNode Schema, IReadOnlySet<string> Refs) ConvertDefinition(string name) =>
        _converted.GetOrAdd(name, key =>
        {
            var refs = new HashSet<string>(StringComparer.Ordinal);
            var schema = Convert(_definitions[key]!, refs);
            return (schema, refs);
        });

    /// <summary>Converts one schema object (or boolean schema), collecting the names of the definitions it refers to.</summary>
    public JsonNode Convert(JsonNode schema, ISet<string> refs)
    {
        if (schema is not JsonObject source)
        {
            // true/false schemas pass through.
            return schema.DeepClone();
        }

        var target = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (value is null || Dropped.Contains(key) || key.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }

            switch (key)
            {
                case "$ref":
                    target["$ref"] = RewriteRef(value.GetValue<string>(), refs);
                    break;
                case "type" when value is JsonValue typeValue && typeValue.TryGetValue<string>(out var type) && type == "file":
                case "format" when value is JsonValue formatValue && formatValue.TryGetValue<string>(out var format) && !StandardFormats.Contains(format):
                    break;
                case "exclusiveMinimum" or "exclusiveMaximum" when value is JsonValue flag && flag.TryGetValue<bool>(out var exclusive):
                    // OpenAPI 3.0 / draft 4 boolean form: the bound itself sits in minimum/maximum.
                    var bound = key == "exclusiveMinimum" ? "minimum" : "maximum";
                    if (exclusive && source[bound] is { } limit)
                    {
                        target[key] = limit.DeepClone();
                    }

                    break;
                case "minimum" or "maximum" when source[key == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"] is JsonValue other
                                                 && other.TryGetValue<bool>(out var isExclusive) && isExclusive:
                    break;
                case var map when SchemaMaps.Contains(map) && value is JsonObject members:
                    var convertedMembers = new JsonObject();
                    foreach (var (member, memberSchema) in members)
                    {
                        convertedMembers[member] = memberSchema is null ? null : Convert(memberSchema, refs);
                    }

                    target[map == "definitions" ? "$defs" : map] = convertedMembers;
                    break;
                case var single when SchemaValues.Contains(single) && value is JsonObject or JsonValue:
                    target[single] = Convert(value, refs);
                    break;
                case var list when SchemaArrays.Contains(list) && value is JsonArray items:
                    target[list] = new JsonArray(items.Where(item => item is not null).Select(item => Convert(item!, refs)).ToArray());
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }

        return IsNullable(source) ? MakeNullable(target) : target;
    }

    private static bool IsNullable(JsonObject source) =>
        (source["nullable"] is JsonValue nullable && nullable.TryGetValue<bool>(out var isNullable) && isNullable)
        || (source["x-nullable"] is JsonValue xNullable && xNullable.TryGetValue<bool>(out var isXNullable) && isXNullable);

    private static JsonNode MakeNullable(JsonObject schema)
    {
        if (schema["enum"] is JsonArray values && !values.Any(v => v is null))
        {
            values.Add(null);
        }

        switch (schema["type"])
        {
            case JsonValue single when single.TryGetValue<string>(out var type):
                schema["type"] = new JsonArray(type, "null");
                return schema;
            case JsonArray types:
                if (!types.Any(t => t?.GetValue<string>() == "null"))
                {
                    types.Add("null");
                }

                return schema;
            default:
                // No type to widen (a $ref or allOf): accept null beside the schema.
                return new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        }
    }

    private string RewriteRef(string reference, ISet<string> refs)
    {
        if (!reference.StartsWith(_refPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Unsupported reference '{reference}': only '{_refPrefix}…' refs are understood.");
        }

        var name = reference[_refPrefix.Length..];
        refs.Add(name);
        return "#/$defs/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }
}
