using System.Text.Json.Nodes;
using Json.Schema;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>Which Daytona document describes a route.</summary>
internal enum ContractKind
{
    /// <summary>The control plane, <c>api.json</c> (OpenAPI 3.0), served under <c>/api</c>.</summary>
    Api,

    /// <summary>The in-sandbox daemon, <c>toolbox.json</c> (Swagger 2.0), served under <c>/toolbox/{id}</c>.</summary>
    Toolbox,
}

/// <summary>How a response status relates to the operation's declared responses.</summary>
internal enum StatusMatch
{
    /// <summary>The status is listed by the operation.</summary>
    Declared,

    /// <summary>Not listed; the operation's <c>default</c> response applies.</summary>
    Default,

    /// <summary>A 2xx the operation does not list, accepted because clients accept any 2xx (API-NOTES §3); its body is checked against the declared 2xx schema.</summary>
    Undeclared2xx,

    /// <summary>An error status the operation does not list; its body must have the document's error shape (API-NOTES §3).</summary>
    ErrorShapeFallback,

    /// <summary>Neither listed nor compatible: a contract violation.</summary>
    Undeclared,
}

/// <summary>A spec operation matched from a concrete request.</summary>
/// <param name="Kind">The document.</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Template">The spec path, such as <c>/sandbox/{sandboxIdOrName}/start</c>.</param>
/// <param name="OperationId">The spec's operationId, if any.</param>
/// <param name="Definition">The operation object.</param>
/// <param name="PathValues">The template parameters' values, decoded.</param>
internal sealed record ContractOperation(
    ContractKind Kind,
    string Method,
    string Template,
    string? OperationId,
    JsonObject Definition,
    IReadOnlyDictionary<string, string> PathValues)
{
    /// <summary>A stable identity: <c>Api POST /sandbox</c>.</summary>
    public string Key => $"{Kind} {Method} {Template}";

    public override string ToString() => Key;
}

/// <summary>What a response with a given status must look like.</summary>
/// <param name="Match">How the status was matched.</param>
/// <param name="DeclaredStatus">The response key used (<c>200</c>, <c>default</c>…), or <see langword="null"/>.</param>
/// <param name="Schema">The body schema, or <see langword="null"/> when nothing is declared to validate.</param>
/// <param name="SchemaSource">Where the schema came from, for messages.</param>
/// <param name="IsBinary">Whether the declared body is a file or multipart stream (not validated as JSON).</param>
/// <param name="MediaTypes">The declared media types of the body.</param>
internal sealed record ResponseContract(
    StatusMatch Match,
    string? DeclaredStatus,
    JsonSchema? Schema,
    string SchemaSource,
    bool IsBinary,
    IReadOnlyList<string> MediaTypes);

/// <summary>The outcome of checking one request or response against the contract.</summary>
internal sealed record ContractCheck(ContractOperation? Operation, IReadOnlyList<string> Errors, IReadOnlyList<string> Notes)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>How the response status was matched (responses only).</summary>
    public StatusMatch? Status { get; init; }

    public override string ToString() =>
        IsValid
            ? $"{Operation?.Key ?? "?"}: valid{(Notes.Count == 0 ? "" : " (" + string.Join("; ", Notes) + ")")}"
            : $"{Operation?.Key ?? "unknown operation"}:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", Errors)}";
}
