using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>
/// Daytona's contract as test oracle: <c>api.json</c> (OpenAPI 3.0, served under <c>/api</c>) and <c>toolbox.json</c>
/// (Swagger 2.0, served under <c>/toolbox/{id}</c>). Finds the spec operation of a concrete request, converts its
/// request and response schemas to JSON Schema 2020-12, and checks recorded requests and responses against them.
/// An operation the spec does not have is always a failure.
/// </summary>
internal sealed class OpenApiContract
{
    public const string ReferenceRelativePath = "shared/reference/daytona";
    public const string ReferenceEnvironmentVariable = "DAYTONA_CONTRACT_DIR";
    public const string ApiPrefix = "/api";
    public const string ToolboxPrefix = "/toolbox";

    private const string Json = "application/json";

    private static readonly Lazy<OpenApiContract> SharedInstance = new(() =>
        Load(FindReferenceDirectory() ?? throw new InvalidOperationException($"The Daytona contract folder '{ReferenceRelativePath}' was not found.")));

    private static int _schemaCounter;

    private readonly Document _api;
    private readonly Document _toolbox;
    private readonly ConcurrentDictionary<string, JsonSchema?> _schemas = new(StringComparer.Ordinal);

    private OpenApiContract(string directory, Document api, Document toolbox)
    {
        Directory = directory;
        _api = api;
        _toolbox = toolbox;
        ApiErrorSchema = Compile(ApiErrorShape(), "api-error");
        ToolboxErrorSchema = GetDefinitionSchema(ContractKind.Toolbox, "ErrorResponse");
    }

    /// <summary>The contract of the folder next to this repository (tests guard with <see cref="ContractFactAttribute"/>).</summary>
    public static OpenApiContract Shared => SharedInstance.Value;

    /// <summary>The folder the documents were read from.</summary>
    public string Directory { get; }

    /// <summary>
    /// The control plane's error body (NestJS filter, API-NOTES §3): <c>{statusCode, message, error, path, timestamp}</c>;
    /// <c>api.json</c> does not define it as a schema.
    /// </summary>
    public JsonSchema ApiErrorSchema { get; }

    /// <summary>The toolbox's <c>ErrorResponse</c>.</summary>
    public JsonSchema ToolboxErrorSchema { get; }

    /// <summary>
    /// <c>$DAYTONA_CONTRACT_DIR</c>, else the first <c>shared/reference/daytona</c> holding both documents in a folder
    /// above <see cref="AppContext.BaseDirectory"/> (that is, <c>&lt;repo&gt;/../shared/reference/daytona</c>), else <see langword="null"/>.
    /// </summary>
    public static string? FindReferenceDirectory()
    {
        static bool Complete(string folder) =>
            File.Exists(Path.Combine(folder, "api.json")) && File.Exists(Path.Combine(folder, "toolbox.json"));

        if (Environment.GetEnvironmentVariable(ReferenceEnvironmentVariable) is { Length: > 0 } configured && Complete(configured))
        {
            return configured;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, ReferenceRelativePath);
            if (Complete(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Reads both documents from <paramref name="directory"/>.</summary>
    public static OpenApiContract Load(string directory)
    {
        var api = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "api.json")))!.AsObject();
        var toolbox = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "toolbox.json")))!.AsObject();
        if (!(api["openapi"]?.GetValue<string>() ?? "").StartsWith("3.0", StringComparison.Ordinal))
        {
            throw new InvalidDataException("api.json is expected to be OpenAPI 3.0.");
        }

        if (toolbox["swagger"]?.GetValue<string>() != "2.0")
        {
            throw new InvalidDataException("toolbox.json is expected to be Swagger 2.0.");
        }

        return new OpenApiContract(
            directory,
            new Document(ContractKind.Api, api, api["components"]?["schemas"]?.AsObject() ?? [], "#/components/schemas/"),
            new Document(ContractKind.Toolbox, toolbox, toolbox["definitions"]?.AsObject() ?? [], "#/definitions/"));
    }

    /// <summary>The document a concrete request path belongs to: <c>/api/…</c> or <c>/toolbox/{id}/…</c>.</summary>
    public static ContractKind? Classify(string pathAndQuery)
    {
        var path = StripQuery(pathAndQuery);
        if (path == ApiPrefix || path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
        {
            return ContractKind.Api;
        }

        return path.StartsWith(ToolboxPrefix + "/", StringComparison.Ordinal) ? ContractKind.Toolbox : null;
    }

    /// <summary>
    /// The spec operation of a concrete request (<c>/api</c> stripped for the API, <c>/toolbox/{id}</c> for the
    /// toolbox), preferring literal segments over templates; <see langword="null"/> when the spec has none.
    /// </summary>
    public ContractOperation? FindOperation(ContractKind kind, string method, string pathAndQuery)
    {
        var document = DocumentOf(kind);
        var relative = RelativePath(kind, StripQuery(pathAndQuery));
        if (relative is null)
        {
            return null;
        }

        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var verb = method.ToLowerInvariant();
        ContractOperation? best = null;
        var bestScore = -1;
        foreach (var (template, item) in document.Root["paths"]!.AsObject())
        {
            if (item?[verb] is not JsonObject operation)
            {
                continue;
            }

            var parts = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != segments.Length)
            {
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var score = 0;
            var matched = true;
            for (var i = 0; i < parts.Length && matched; i++)
            {
                if (parts[i].StartsWith('{') && parts[i].EndsWith('}'))
                {
                    values[parts[i][1..^1]] = Uri.UnescapeDataString(segments[i]);
                }
                else if (string.Equals(parts[i], Uri.UnescapeDataString(segments[i]), StringComparison.Ordinal))
                {
                    score++;
                }
                else
                {
                    matched = false;
                }
            }

            if (matched && score > bestScore)
            {
                best = new ContractOperation(kind, method.ToUpperInvariant(), template, operation["operationId"]?.GetValue<string>(), operation, values);
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The JSON request-body schema (OpenAPI 3 <c>requestBody…application/json</c>, Swagger 2 <c>in: body</c>), or <see langword="null"/>.</summary>
    public JsonSchema? GetRequestSchema(ContractOperation operation) =>
        _schemas.GetOrAdd($"{operation.Key} request", _ => RequestBodySchemaNode(operation) is { } node ? Compile(DocumentOf(operation.Kind).Converter.BuildDocument(node), operation.Key + " request") : null);

    /// <summary>What a response with <paramref name="status"/> must look like for <paramref name="operation"/>.</summary>
    public ResponseContract GetResponse(ContractOperation operation, int status)
    {
        var responses = operation.Definition["responses"]?.AsObject() ?? [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        var errorFallback = operation.Kind == ContractKind.Api
            ? (ApiErrorSchema, "the API error shape {statusCode, message, error, path, timestamp} (API-NOTES §3)")
            : (ToolboxErrorSchema, "toolbox ErrorResponse");

        if (responses[key] is JsonObject declared)
        {
            var response = Describe(operation, key, declared);
            return status >= 400 && response.Schema is null && !response.IsBinary
                ? response with { Schema = errorFallback.Item1, SchemaSource = errorFallback.Item2 + " (the spec lists the status without a body schema)" }
                : response;
        }

        if (status is >= 200 and <= 299)
        {
            var success = responses.Where(r => r.Key.Length == 3 && r.Key[0] == '2' && r.Value is JsonObject).ToList();
            if (success.Count > 0)
            {
                var described = success.Select(r => Describe(operation, r.Key, r.Value!.AsObject())).ToList();
                var withSchema = described.FirstOrDefault(d => d.Schema is not null || d.IsBinary) ?? described[0];
                return withSchema with { Match = StatusMatch.Undeclared2xx };
            }
        }

        if (responses["default"] is JsonObject fallback)
        {
            return Describe(operation, "default", fallback) with { Match = StatusMatch.Default };
        }

        if (status >= 400)
        {
            return new ResponseContract(StatusMatch.ErrorShapeFallback, null, errorFallback.Item1, errorFallback.Item2, false, [Json]);
        }

        return new ResponseContract(StatusMatch.Undeclared, null, null, "nothing", false, []);
    }

    /// <summary>A named schema of a document (<c>Sandbox</c>, <c>ExecuteResponse</c>…) as standalone JSON Schema.</summary>
    public JsonSchema GetDefinitionSchema(ContractKind kind, string name)
    {
        var document = DocumentOf(kind);
        if (!document.Converter.HasDefinition(name))
        {
            throw new ArgumentException($"{kind} does not define the schema '{name}'.", nameof(name));
        }

        return _schemas.GetOrAdd($"{kind} definition {name}", _ => Compile(document.Converter.BuildDefinitionDocument(name), $"{kind}-{name}"))!;
    }

    /// <summary>Validates an instance; returns readable errors (<c>/path: message [keyword at schema path]</c>), none when valid.</summary>
    public static IReadOnlyList<string> Evaluate(JsonSchema schema, JsonNode? instance) =>
        Evaluate(schema, JsonSerializer.SerializeToElement(instance));

    /// <summary>Validates an instance; returns readable errors, none when valid.</summary>
    public static IReadOnlyList<string> Evaluate(JsonSchema schema, JsonElement instance)
    {
        EvaluationResults results;
        try
        {
            results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        }
        catch (Exception ex) when (ex is JsonSchemaException or InvalidOperationException or ArgumentException)
        {
            return [$"the schema could not be evaluated: {ex.Message}"];
        }

        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        foreach (var node in new[] { results }.Concat(results.Details ?? []))
        {
            if (node.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in node.Errors)
            {
                var location = node.InstanceLocation.ToString();
                var schemaPath = node.EvaluationPath.ToString();
                var actual = location.Length > 0 && Resolve(instance, location) is { } value ? $" (got {Abbreviate(value.GetRawText())})" : "";
                errors.Add($"{(location.Length == 0 ? "/" : location)}: {message}{actual} [{keyword} at #{schemaPath}]");
            }
        }

        return errors.Count > 0 ? errors.Distinct(StringComparer.Ordinal).ToList() : ["the instance does not match the schema"];
    }

    private static JsonElement? Resolve(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var property))
            {
                current = property;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static string Abbreviate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>
    /// Checks a request: the operation exists; a bearer token is sent (when <paramref name="headers"/> are given);
    /// required query parameters are present, declared ones have the declared type, undeclared ones are errors;
    /// a JSON body validates against the request schema, a multipart body has only declared fields, and a body is
    /// sent only where the operation takes one.
    /// </summary>
    public ContractCheck CheckRequest(
        ContractKind kind,
        string method,
        string pathAndQuery,
        string? contentType,
        byte[]? body,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var operation = FindOperation(kind, method, pathAndQuery);
        if (operation is null)
        {
            return Unknown(kind, method, pathAndQuery);
        }

        var errors = new List<string>();
        var notes = new List<string>();
        var document = DocumentOf(kind);

        if (headers is not null && RequiresAuthentication(operation))
        {
            var authorization = headers.FirstOrDefault(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value;
            if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length <= "Bearer ".Length)
            {
                errors.Add("request: no 'Authorization: Bearer <token>' header (API-NOTES §2: the API and the toolbox both require it)");
            }
        }

        CheckParameters(document, operation, pathAndQuery, errors);
        CheckRequestBody(document, operation, contentType, body, errors, notes);
        return new ContractCheck(operation, errors, notes);
    }

    /// <summary>A request check with a text body.</summary>
    public ContractCheck CheckRequest(ContractKind kind, string method, string pathAndQuery, string? contentType, string? body, IReadOnlyDictionary<string, string>? headers = null) =>
        CheckRequest(kind, method, pathAndQuery, contentType, body is null ? null : Encoding.UTF8.GetBytes(body), headers);

    /// <summary>
    /// Checks a response: the status is declared (or a 2xx, or an error with the document's error shape); a declared
    /// JSON body is present, is JSON and validates; an error body's <c>statusCode</c> equals the HTTP status. File
    /// and multipart bodies are not validated.
    /// </summary>
    public ContractCheck CheckResponse(ContractKind kind, string method, string pathAndQuery, int status, string? contentType, string? body, bool bodyTruncated = false) =>
        CheckResponse(kind, method, pathAndQuery, status, contentType, body is null ? null : Encoding.UTF8.GetBytes(body), bodyTruncated);

    /// <summary>A response check with the raw body bytes (multipart bodies are parsed from them).</summary>
    public ContractCheck CheckResponse(
        ContractKind kind,
        string method,
        string pathAndQuery,
        int status,
        string? contentType,
        byte[]? bodyBytes,
        bool bodyTruncated = false)
    {
        var body = bodyBytes is null ? null : Encoding.UTF8.GetString(bodyBytes);
        var operation = FindOperation(kind, method, pathAndQuery);
        if (operation is null)
        {
            return Unknown(kind, method, pathAndQuery);
        }

        var errors = new List<string>();
        var notes = new List<string>();
        var expected = GetResponse(operation, status);
        var declared = string.Join(", ", (operation.Definition["responses"]?.AsObject() ?? []).Select(r => r.Key));
        switch (expected.Match)
        {
            case StatusMatch.Undeclared:
                errors.Add($"status {status}: not declared by the operation (declared: {declared}) and not a 2xx or an error status");
                return new ContractCheck(operation, errors, notes) { Status = expected.Match };
            case StatusMatch.Undeclared2xx:
                notes.Add($"status {status} is not listed (declared: {declared}); accepted as a 2xx (API-NOTES §3 'accept any 2xx')");
                break;
            case StatusMatch.ErrorShapeFallback:
                notes.Add($"status {status} is not listed (declared: {declared}); its body must be {expected.SchemaSource}");
                break;
            case StatusMatch.Default:
                notes.Add($"status {status} matched the 'default' response");
                break;
        }

        var hasBody = !string.IsNullOrEmpty(body);
        var mediaType = MediaType(contentType);
        if (expected.IsBinary)
        {
            if (hasBody && mediaType is not null && !expected.MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"response: declared {string.Join(" or ", expected.MediaTypes)}, but the body is {mediaType}");
            }
            else if (operation.Kind == ContractKind.Toolbox && operation.Template == "/files/bulk-download" && mediaType == "multipart/form-data" && !bodyTruncated)
            {
                errors.AddRange(BulkDownloadPartErrors(contentType, bodyBytes ?? []));
                notes.Add("multipart parts checked (file/error)");
            }
            else
            {
                notes.Add($"{string.Join("/", expected.MediaTypes)} body not validated");
            }

            return new ContractCheck(operation, errors, notes) { Status = expected.Match };
        }

        if (expected.Schema is null)
        {
            if (hasBody && IsJson(mediaType) && TryParse(body!, out _, out var parseError) is false)
            {
                errors.Add($"response: Content-Type is {mediaType} but the body is not JSON: {parseError}");
            }

            notes.Add(hasBody ? $"response {status} declares no body schema; body not validated" : $"response {status} declares no body; none sent");
            return new ContractCheck(operation, errors, notes) { Status = expected.Match };
        }

        if (!hasBody)
        {
            errors.Add($"response: status {status} must carry a JSON body ({expected.SchemaSource}), but the body is empty");
        }
        else if (bodyTruncated)
        {
            errors.Add("response: the body exceeded the recording limit and cannot be validated");
        }
        else if (!IsJson(mediaType))
        {
            errors.Add($"response: Content-Type must be application/json ({expected.SchemaSource}), got '{contentType ?? "(none)"}'");
        }
        else if (!TryParse(body!, out var instance, out var parseError))
        {
            errors.Add($"response: the body is not valid JSON: {parseError}");
        }
        else
        {
            errors.AddRange(Evaluate(expected.Schema, instance).Select(e => $"response {e}"));
            if (status >= 400 && instance.ValueKind == JsonValueKind.Object
                && instance.TryGetProperty("statusCode", out var code) && code.ValueKind == JsonValueKind.Number
                && (!code.TryGetInt32(out var codeValue) || codeValue != status))
            {
                errors.Add($"response /statusCode: is {code.GetRawText()} but the HTTP status is {status}");
            }
        }

        return new ContractCheck(operation, errors, notes) { Status = expected.Match };
    }

    private static ContractCheck Unknown(ContractKind kind, string method, string pathAndQuery) =>
        new(null, [$"{method.ToUpperInvariant()} {StripQuery(pathAndQuery)}: no such operation in {(kind == ContractKind.Api ? "api.json (under /api)" : "toolbox.json (under /toolbox/{id})")}"], []);

    private static bool RequiresAuthentication(ContractOperation operation)
    {
        if (operation.Kind == ContractKind.Toolbox)
        {
            // toolbox.json declares no per-operation security, but the proxy always requires auth (API-NOTES §2).
            return true;
        }

        return operation.Definition["security"] is JsonArray { Count: > 0 };
    }

    private void CheckParameters(Document document, ContractOperation operation, string pathAndQuery, List<string> errors)
    {
        var parameters = Parameters(document, operation);
        var query = ParseQuery(pathAndQuery);

        foreach (var parameter in parameters.Where(p => p["in"]?.GetValue<string>() == "path"))
        {
            var name = parameter["name"]!.GetValue<string>();
            if (operation.PathValues.TryGetValue(name, out var value))
            {
                errors.AddRange(CheckParameterValue(document, operation, parameter, [value]).Select(e => $"path parameter '{name}': {e}"));
            }
        }

        var declared = parameters.Where(p => p["in"]?.GetValue<string>() == "query").ToDictionary(p => p["name"]!.GetValue<string>(), StringComparer.Ordinal);
        foreach (var (name, parameter) in declared)
        {
            var required = parameter["required"] is JsonValue flag && flag.TryGetValue<bool>(out var isRequired) && isRequired;
            if (!query.TryGetValue(name, out var values))
            {
                if (required)
                {
                    errors.Add($"query parameter '{name}': required but missing");
                }

                continue;
            }

            errors.AddRange(CheckParameterValue(document, operation, parameter, values).Select(e => $"query parameter '{name}': {e}"));
        }

        foreach (var name in query.Keys.Where(name => !declared.ContainsKey(name)))
        {
            errors.Add($"query parameter '{name}': not declared by the operation (declared: {(declared.Count == 0 ? "none" : string.Join(", ", declared.Keys))})");
        }
    }

    private IEnumerable<string> CheckParameterValue(Document document, ContractOperation operation, JsonObject parameter, IReadOnlyList<string> values)
    {
        var schemaNode = ParameterSchema(document, parameter);
        if (schemaNode is null)
        {
            yield break;
        }

        var type = ResolveType(document, schemaNode);
        JsonNode? instance;
        if (type == "array")
        {
            var items = schemaNode["items"] is { } itemSchema ? ResolveType(document, itemSchema) : "string";
            var separate = document.Kind == ContractKind.Api || parameter["collectionFormat"]?.GetValue<string>() == "multi"
                ? values
                : values.SelectMany(v => v.Split(',')).ToList();
            instance = new JsonArray(separate.Select(v => Coerce(v, items)).ToArray());
        }
        else if (values.Count != 1)
        {
            yield return $"sent {values.Count} times but it is not an array";
            yield break;
        }
        else
        {
            instance = Coerce(values[0], type);
        }

        var name = parameter["name"]!.GetValue<string>();
        var schema = _schemas.GetOrAdd($"{operation.Key} parameter {parameter["in"]} {name}", _ => Compile(document.Converter.BuildDocument(schemaNode), $"{operation.Key} {name}"))!;
        foreach (var error in Evaluate(schema, instance))
        {
            yield return $"'{string.Join(",", values)}': {error}";
        }
    }

    private static JsonNode? Coerce(string value, string type) => type switch
    {
        "integer" or "number" when decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        "boolean" when bool.TryParse(value, out var flag) => JsonValue.Create(flag),
        _ => JsonValue.Create(value),
    };

    /// <summary>A parameter's schema: OpenAPI 3 <c>schema</c>; Swagger 2 keeps the schema keywords on the parameter itself.</summary>
    private static JsonNode? ParameterSchema(Document document, JsonObject parameter)
    {
        if (document.Kind == ContractKind.Api)
        {
            return parameter["schema"];
        }

        if (parameter["type"]?.GetValue<string>() is null or "file")
        {
            return null;
        }

        var schema = new JsonObject();
        foreach (var (key, value) in parameter)
        {
            if (key is not ("name" or "in" or "description" or "required" or "collectionFormat" or "allowEmptyValue"))
            {
                schema[key] = value?.DeepClone();
            }
        }

        return schema;
    }

    /// <summary>The JSON type a schema expects, following <c>$ref</c> and <c>allOf</c>; <c>string</c> when unknown.</summary>
    private static string ResolveType(Document document, JsonNode schema)
    {
        for (var depth = 0; depth < 16 && schema is JsonObject current; depth++)
        {
            switch (current["type"])
            {
                case JsonValue single when single.TryGetValue<string>(out var type):
                    return type;
                case JsonArray types when types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not "null") is { } first:
                    return first;
            }

            if (current["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith(document.RefPrefix, StringComparison.Ordinal))
            {
                schema = document.Definitions[reference[document.RefPrefix.Length..]]!;
            }
            else if (current["allOf"] is JsonArray { Count: > 0 } all)
            {
                schema = all[0]!;
            }
            else if (current["enum"] is JsonArray { Count: > 0 } values && values[0] is JsonValue sample)
            {
                return sample.GetValueKind() switch
                {
                    JsonValueKind.Number => "number",
                    JsonValueKind.True or JsonValueKind.False => "boolean",
                    _ => "string",
                };
            }
            else
            {
                break;
            }
        }

        return "string";
    }

    private void CheckRequestBody(Document document, ContractOperation operation, string? contentType, byte[]? body, List<string> errors, List<string> notes)
    {
        var hasBody = body is { Length: > 0 };
        var mediaType = MediaType(contentType);
        var (schemaNode, required, mediaTypes, formFields) = RequestBody(document, operation);

        if (schemaNode is null && mediaTypes.Count == 0 && formFields.Count == 0)
        {
            if (hasBody)
            {
                errors.Add($"request: the operation takes no body, but {body!.Length} bytes of '{contentType ?? "(no Content-Type)"}' were sent");
            }

            return;
        }

        if (!hasBody)
        {
            if (required)
            {
                errors.Add($"request: a body is required ({string.Join(" or ", mediaTypes)}), but none was sent");
            }

            return;
        }

        if (mediaTypes.Count > 0 && !mediaTypes.Contains(mediaType ?? "", StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"request: Content-Type must be {string.Join(" or ", mediaTypes)}, got '{contentType ?? "(none)"}'");
            return;
        }

        if (IsJson(mediaType))
        {
            if (schemaNode is null)
            {
                errors.Add("request: a JSON body was sent, but the operation declares no JSON body");
                return;
            }

            var text = Encoding.UTF8.GetString(body!);
            if (!TryParse(text, out var instance, out var parseError))
            {
                errors.Add($"request: the body is not valid JSON: {parseError}");
                return;
            }

            errors.AddRange(Evaluate(GetRequestSchema(operation)!, instance).Select(e => $"request {e}"));
            return;
        }

        if (mediaType is "multipart/form-data")
        {
            CheckMultipartRequest(operation, contentType!, body!, formFields, errors, notes);
            return;
        }

        notes.Add($"{mediaType} request body not validated");
    }

    private static void CheckMultipartRequest(ContractOperation operation, string contentType, byte[] body, IReadOnlyDictionary<string, bool> formFields, List<string> errors, List<string> notes)
    {
        var parts = ReadMultipart(contentType, body, out var problem);
        if (parts is null)
        {
            errors.Add($"request: {problem}");
            return;
        }

        errors.AddRange(parts.Where(p => p.Name is null).Select(_ => "request: a multipart section has no form-data name"));
        var fields = parts.Where(p => p.Name is not null).Select(p => p.Name!).ToList();
        if (operation.Kind == ContractKind.Toolbox && operation.Template == "/files/bulk-upload")
        {
            errors.AddRange(BulkUploadFieldErrors(fields).Select(e => $"request: {e}"));
            return;
        }

        if (formFields.Count == 0)
        {
            notes.Add($"multipart fields {string.Join(", ", fields)} (the operation declares none to check)");
            return;
        }

        errors.AddRange(fields.Where(f => !formFields.ContainsKey(f)).Select(f => $"request: multipart field '{f}' is not declared (declared: {string.Join(", ", formFields.Keys)})"));
        errors.AddRange(formFields.Where(f => f.Value && !fields.Contains(f.Key)).Select(f => $"request: required multipart field '{f.Key}' is missing"));
    }

    /// <summary>
    /// <c>/files/bulk-upload</c> declares no form fields; API-NOTES §6.4 (daemon code) does: pairs
    /// <c>files[i].path</c> (text) <b>then</b> <c>files[i].file</c>, at least one pair.
    /// </summary>
    private static IEnumerable<string> BulkUploadFieldErrors(IReadOnlyList<string> fields)
    {
        var pattern = new System.Text.RegularExpressions.Regex(@"^files\[(\d+)\]\.(path|file)$");
        var seenPath = new HashSet<string>(StringComparer.Ordinal);
        var seenFile = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var match = pattern.Match(field);
            if (!match.Success)
            {
                yield return $"bulk-upload field '{field}' is not files[i].path or files[i].file (API-NOTES §6.4)";
                continue;
            }

            var index = match.Groups[1].Value;
            if (match.Groups[2].Value == "path")
            {
                seenPath.Add(index);
            }
            else if (!seenPath.Contains(index))
            {
                yield return $"bulk-upload field 'files[{index}].file' comes before 'files[{index}].path' (API-NOTES §6.4: path first)";
            }
            else
            {
                seenFile.Add(index);
            }
        }

        foreach (var index in seenPath.Except(seenFile))
        {
            yield return $"bulk-upload 'files[{index}].path' has no 'files[{index}].file' part";
        }

        if (fields.Count == 0)
        {
            yield return "bulk-upload body has no parts";
        }
    }

    /// <summary>
    /// <c>/files/bulk-download</c>'s 200 is multipart (spec description, API-NOTES §6.4): parts named <c>file</c>
    /// (with a filename) or <c>error</c> carrying an <c>ErrorResponse</c> JSON.
    /// </summary>
    private IEnumerable<string> BulkDownloadPartErrors(string? contentType, byte[] body)
    {
        var parts = ReadMultipart(contentType ?? "", body, out var problem);
        if (parts is null)
        {
            yield return $"response: {problem}";
            yield break;
        }

        foreach (var (part, index) in parts.Select((p, i) => (p, i)))
        {
            switch (part.Name)
            {
                case "file" when string.IsNullOrEmpty(part.FileName):
                    yield return $"response part {index} 'file' has no filename (the requested path)";
                    break;
                case "file":
                    break;
                case "error":
                    if (!TryParse(Encoding.UTF8.GetString(part.Body), out var instance, out var parseError))
                    {
                        yield return $"response part {index} 'error' is not JSON: {parseError}";
                        break;
                    }

                    foreach (var error in Evaluate(ToolboxErrorSchema, instance))
                    {
                        yield return $"response part {index} 'error' {error}";
                    }

                    break;
                default:
                    yield return $"response part {index} is named '{part.Name}', expected 'file' or 'error'";
                    break;
            }
        }
    }

    private sealed record MultipartPart(string? Name, string? FileName, string? ContentType, byte[] Body);

    private static List<MultipartPart>? ReadMultipart(string contentType, byte[] body, out string? problem)
    {
        var boundary = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? HeaderUtilities.RemoveQuotes(parsed.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
        {
            problem = $"multipart body without a boundary (Content-Type '{contentType}')";
            return null;
        }

        var parts = new List<MultipartPart>();
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body)) { BodyLengthLimit = null };
            while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
            {
                using var content = new MemoryStream();
                section.Body.CopyTo(content);
                ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
                parts.Add(new MultipartPart(
                    disposition?.Name.HasValue == true ? HeaderUtilities.RemoveQuotes(disposition.Name).Value : null,
                    disposition?.FileName.HasValue == true ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : null,
                    section.ContentType,
                    content.ToArray()));
            }
        }
        catch (IOException ex)
        {
            problem = $"the multipart body cannot be read: {ex.Message}";
            return null;
        }

        problem = null;
        return parts;
    }

    private static (JsonNode? Schema, bool Required, IReadOnlyList<string> MediaTypes, IReadOnlyDictionary<string, bool> FormFields) RequestBody(Document document, ContractOperation operation)
    {
        if (document.Kind == ContractKind.Api)
        {
            if (operation.Definition["requestBody"] is not JsonObject requestBody)
            {
                return (null, false, [], new Dictionary<string, bool>());
            }

            var content = requestBody["content"]?.AsObject() ?? [];
            var isRequired = requestBody["required"] is JsonValue flag && flag.TryGetValue<bool>(out var value) && value;
            return (content[Json]?["schema"], isRequired, content.Select(c => c.Key).ToList(), new Dictionary<string, bool>());
        }

        var parameters = Parameters(document, operation);
        var bodyParameter = parameters.FirstOrDefault(p => p["in"]?.GetValue<string>() == "body");
        var form = parameters.Where(p => p["in"]?.GetValue<string>() == "formData")
            .ToDictionary(p => p["name"]!.GetValue<string>(), p => p["required"] is JsonValue r && r.TryGetValue<bool>(out var req) && req, StringComparer.Ordinal);
        var declaredConsumes = (operation.Definition["consumes"] ?? document.Root["consumes"])?.AsArray().Select(c => c!.GetValue<string>()).ToList();
        if (bodyParameter is null && form.Count == 0)
        {
            // No body or form parameter: a JSON "consumes" alone (e.g. /files/folder) declares no body, but a
            // multipart one (e.g. /files/bulk-upload, whose fields only API-NOTES describes) does.
            var other = (declaredConsumes ?? []).Where(c => !IsJson(c)).ToList();
            return (null, false, other, form);
        }

        var consumes = declaredConsumes ?? (bodyParameter is not null ? [Json] : ["multipart/form-data", "application/x-www-form-urlencoded"]);
        var bodyRequired = bodyParameter?["required"] is JsonValue b && b.TryGetValue<bool>(out var br) && br;
        return (bodyParameter?["schema"], bodyRequired || form.Any(f => f.Value), consumes, form);
    }

    private static JsonNode? RequestBodySchemaNode(ContractOperation operation) =>
        operation.Kind == ContractKind.Api
            ? operation.Definition["requestBody"]?["content"]?[Json]?["schema"]
            : (operation.Definition["parameters"] as JsonArray)?.FirstOrDefault(p => p?["in"]?.GetValue<string>() == "body")?["schema"];

    private static List<JsonObject> Parameters(Document document, ContractOperation operation)
    {
        var shared = document.Root["paths"]?[operation.Template]?["parameters"] as JsonArray ?? [];
        var own = operation.Definition["parameters"] as JsonArray ?? [];
        var merged = new Dictionary<(string?, string?), JsonObject>();
        foreach (var parameter in shared.Concat(own).OfType<JsonObject>())
        {
            merged[(parameter["in"]?.GetValue<string>(), parameter["name"]?.GetValue<string>())] = parameter;
        }

        return merged.Values.ToList();
    }

    private ResponseContract Describe(ContractOperation operation, string key, JsonObject response)
    {
        var document = DocumentOf(operation.Kind);
        JsonNode? schemaNode;
        IReadOnlyList<string> mediaTypes;
        bool binary;
        if (operation.Kind == ContractKind.Api)
        {
            var content = response["content"]?.AsObject() ?? [];
            mediaTypes = content.Select(c => c.Key).ToList();
            schemaNode = content[Json]?["schema"];
            binary = schemaNode is null && mediaTypes.Count > 0 && !mediaTypes.Any(IsJson);
            if (schemaNode is null && !binary && content.FirstOrDefault(c => IsJson(c.Key)).Value?["schema"] is { } other)
            {
                schemaNode = other;
            }
        }
        else
        {
            schemaNode = response["schema"];
            var produces = (operation.Definition["produces"] ?? document.Root["produces"])?.AsArray().Select(p => p!.GetValue<string>()).ToList() ?? [Json];
            mediaTypes = produces;
            binary = schemaNode?["type"]?.GetValue<string>() == "file"
                     || (key.StartsWith('2') && produces.Count > 0 && !produces.Any(IsJson));
        }

        if (binary)
        {
            return new ResponseContract(StatusMatch.Declared, key, null, $"{key} {string.Join("/", mediaTypes)}", true, mediaTypes);
        }

        var source = schemaNode?["$ref"]?.GetValue<string>() is { } reference ? reference[(reference.LastIndexOf('/') + 1)..] : schemaNode is null ? "no schema" : "an inline schema";
        var schema = schemaNode is null
            ? null
            : _schemas.GetOrAdd($"{operation.Key} response {key}", _ => Compile(document.Converter.BuildDocument(schemaNode), $"{operation.Key} {key}"));
        return new ResponseContract(StatusMatch.Declared, key, schema, $"{key} {source}", false, mediaTypes);
    }

    private Document DocumentOf(ContractKind kind) => kind == ContractKind.Api ? _api : _toolbox;

    private static string? RelativePath(ContractKind kind, string path)
    {
        if (kind == ContractKind.Api)
        {
            return path == ApiPrefix ? "/" : path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal) ? path[ApiPrefix.Length..] : null;
        }

        if (!path.StartsWith(ToolboxPrefix + "/", StringComparison.Ordinal))
        {
            return null;
        }

        // /toolbox/{sandboxId}/rest → /rest
        var rest = path[(ToolboxPrefix.Length + 1)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? null : rest[slash..];
    }

    private static string StripQuery(string pathAndQuery)
    {
        var index = pathAndQuery.IndexOfAny(['?', '#']);
        return index < 0 ? pathAndQuery : pathAndQuery[..index];
    }

    private static Dictionary<string, List<string>> ParseQuery(string pathAndQuery)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var index = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (index < 0)
        {
            return result;
        }

        foreach (var pair in pathAndQuery[(index + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (!result.TryGetValue(name, out var values))
            {
                result[name] = values = [];
            }

            values.Add(value);
        }

        return result;

        static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
    }

    private static string? MediaType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? null : contentType.Split(';')[0].Trim().ToLowerInvariant();

    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.Equals(Json, StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static bool TryParse(string text, out JsonElement element, out string? error)
    {
        try
        {
            using var parsed = JsonDocument.Parse(text);
            element = parsed.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            element = default;
            error = ex.Message;
            return false;
        }
    }

    private static JsonSchema Compile(JsonObject document, string label)
    {
        var id = Interlocked.Increment(ref _schemaCounter);
        var slug = new string(label.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        var baseUri = new Uri($"https://contract.daytona.test/{id}/{slug}");
        return JsonSchema.FromText(document.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, baseUri);
    }

    private static JsonObject ApiErrorShape() => new()
    {
        ["$schema"] = OpenApiSchemaConverter.Draft202012,
        ["type"] = "object",
        ["required"] = new JsonArray("statusCode", "message", "error", "path", "timestamp"),
        ["properties"] = new JsonObject
        {
            ["statusCode"] = new JsonObject { ["type"] = "integer" },
            ["message"] = new JsonObject { ["type"] = "string" },
            ["error"] = new JsonObject { ["type"] = "string" },
            ["path"] = new JsonObject { ["type"] = "string" },
            ["timestamp"] = new JsonObject { ["type"] = "string" },
            ["code"] = new JsonObject { ["type"] = "string" },
            ["error_code"] = new JsonObject { ["type"] = "string" },
            ["source"] = new JsonObject { ["type"] = "string" },
        },
    };

    private sealed class Document(ContractKind kind, JsonObject root, JsonObject definitions, string refPrefix)
    {
        public ContractKind Kind { get; } = kind;

        public JsonObject Root { get; } = root;

        public JsonObject Definitions { get; } = definitions;

        public string RefPrefix { get; } = refPrefix;

        public OpenApiSchemaConverter Converter { get; } = new(definitions, refPrefix);
    }
}
