using System.Text.Json.Nodes;
using Json.Schema;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>OpenAPI 3.0 / Swagger 2.0 schema objects to JSON Schema 2020-12, on small synthetic documents.</summary>
public sealed class OpenApiSchemaConverterTests
{
    private static JsonSchema Build(JsonObject definitions, string prefix, JsonNode schema) =>
        JsonSchema.FromText(new OpenApiSchemaConverter(definitions, prefix).BuildDocument(schema).ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://converter.test/{Guid.NewGuid():N}"));

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void BuildDocument_ComponentRef_RewrittenToDefsWithClosure()
    {
        var definitions = Parse("""
            {
              "Outer": {"type": "object", "required": ["inner"], "properties": {"inner": {"$ref": "#/components/schemas/Inner"}}},
              "Inner": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
              "Unused": {"type": "string"}
            }
            """);
        var converter = new OpenApiSchemaConverter(definitions, "#/components/schemas/");

        var document = converter.BuildDefinitionDocument("Outer");

        Assert.Equal(OpenApiSchemaConverter.Draft202012, document["$schema"]?.GetValue<string>());
        Assert.Equal("#/$defs/Outer", document["$ref"]?.GetValue<string>());
        var defs = document["$defs"]!.AsObject();
        Assert.True(defs.ContainsKey("Outer"));
        Assert.True(defs.ContainsKey("Inner"));
        Assert.False(defs.ContainsKey("Unused"));
        Assert.Equal("#/$defs/Inner", defs["Outer"]!["properties"]!["inner"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void Evaluate_NestedRef_ValidatesThroughDefs()
    {
        var definitions = Parse("""
            {
              "Outer": {"type": "object", "required": ["inner"], "properties": {"inner": {"$ref": "#/definitions/Inner"}}},
              "Inner": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}
            }
            """);
        var schema = Build(definitions, "#/definitions/", Parse("""{"$ref": "#/definitions/Outer"}"""));

        Assert.Empty(OpenApiContract.Evaluate(schema, JsonNode.Parse("""{"inner":{"n":1}}""")));
        Assert.Contains(OpenApiContract.Evaluate(schema, JsonNode.Parse("""{"inner":{"n":"x"}}""")), e => e.StartsWith("/inner/n:", StringComparison.Ordinal));
    }

    [Fact]
    public void Convert_NullableWithType_BecomesTypeArray()
    {
        var schema = Build([], "#/components/schemas/", Parse("""{"type": "string", "nullable": true}"""));

        Assert.Empty(OpenApiContract.Evaluate(schema, JsonValue.Create("a")));
        Assert.Empty(OpenApiContract.Evaluate(schema, (JsonNode?)null));
        Assert.NotEmpty(OpenApiContract.Evaluate(schema, JsonValue.Create(1)));
    }

    [Fact]
    public void Convert_NullableEnum_AcceptsNull()
    {
        var schema = Build([], "#/components/schemas/", Parse("""{"type": "string", "enum": ["a", "b"], "nullable": true}"""));

        Assert.Empty(OpenApiContract.Evaluate(schema, (JsonNode?)null));
        Assert.NotEmpty(OpenApiContract.Evaluate(schema, JsonValue.Create("c")));
    }

    [Fact]
    public void Convert_NullableAllOfRef_WrappedInAnyOf()
    {
        var definitions = Parse("""{"State": {"type": "string", "enum": ["on", "off"]}}""");
        var schema = Build(definitions, "#/components/schemas/", Parse("""{"allOf": [{"$ref": "#/components/schemas/State"}], "nullable": true}"""));

        Assert.Empty(OpenApiContract.Evaluate(schema, (JsonNode?)null));
        Assert.Empty(OpenApiContract.Evaluate(schema, JsonValue.Create("on")));
        Assert.NotEmpty(OpenApiContract.Evaluate(schema, JsonValue.Create("dim")));
    }

    [Fact]
    public void Convert_NotNullable_RejectsNull()
    {
        var schema = Build([], "#/components/schemas/", Parse("""{"type": "string"}"""));

        Assert.NotEmpty(OpenApiContract.Evaluate(schema, (JsonNode?)null));
    }

    [Fact]
    public void Convert_DocumentationKeywords_Dropped()
    {
        var converter = new OpenApiSchemaConverter([], "#/definitions/");
        var converted = converter.Convert(
            Parse("""{"type": "object", "example": {"a": 1}, "x-enum-varnames": ["A"], "discriminator": {"propertyName": "t"}, "xml": {"name": "n"}, "properties": {"example": {"type": "string", "format": "int64"}}}"""),
            new HashSet<string>()).AsObject();

        Assert.False(converted.ContainsKey("example"));
        Assert.False(converted.ContainsKey("x-enum-varnames"));
        Assert.False(converted.ContainsKey("discriminator"));
        Assert.False(converted.ContainsKey("xml"));
        // A property that happens to be called "example" is data, not a keyword; OpenAPI's int64 is not a JSON Schema format.
        var property = converted["properties"]!["example"]!.AsObject();
        Assert.Equal("string", property["type"]!.GetValue<string>());
        Assert.False(property.ContainsKey("format"));
    }

    [Fact]
    public void Convert_SwaggerFileType_AcceptsAnything()
    {
        var schema = Build([], "#/definitions/", Parse("""{"type": "file"}"""));

        Assert.Empty(OpenApiContract.Evaluate(schema, JsonValue.Create("bytes")));
    }

    [Fact]
    public void Convert_DateTimeFormat_Enforced()
    {
        var schema = Build([], "#/components/schemas/", Parse("""{"type": "string", "format": "date-time"}"""));

        Assert.Empty(OpenApiContract.Evaluate(schema, JsonValue.Create("2026-01-02T03:04:05.1234567+00:00")));
        Assert.NotEmpty(OpenApiContract.Evaluate(schema, JsonValue.Create("yesterday")));
    }

    [Fact]
    public void Convert_BooleanExclusiveMinimum_BecomesNumeric()
    {
        var schema = Build([], "#/components/schemas/", Parse("""{"type": "number", "minimum": 0, "exclusiveMinimum": true}"""));

        Assert.NotEmpty(OpenApiContract.Evaluate(schema, JsonValue.Create(0)));
        Assert.Empty(OpenApiContract.Evaluate(schema, JsonValue.Create(0.5)));
    }

    [Fact]
    public void BuildDocument_DanglingRef_Throws()
    {
        var converter = new OpenApiSchemaConverter([], "#/definitions/");

        var error = Assert.Throws<InvalidOperationException>(() => converter.BuildDocument(Parse("""{"$ref": "#/definitions/Missing"}""")));
        Assert.Contains("Missing", error.Message);
    }
}
