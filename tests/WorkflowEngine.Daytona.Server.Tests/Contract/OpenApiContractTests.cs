using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>The contract oracle itself: a validator that accepts everything would make every contract test pass.</summary>
public sealed class OpenApiContractTests
{
    private static readonly IReadOnlyDictionary<string, string> Bearer = new Dictionary<string, string> { ["Authorization"] = "Bearer test-key" };

    private static OpenApiContract Contract => OpenApiContract.Shared;

    private static JsonObject ValidSandbox() => new()
    {
        ["id"] = "sandbox-0123456789ab",
        ["organizationId"] = "local",
        ["name"] = "demo",
        ["user"] = "sandbox",
        ["env"] = new JsonObject { ["A"] = "1" },
        ["labels"] = new JsonObject { ["code-toolbox-language"] = "python" },
        ["public"] = false,
        ["networkBlockAll"] = true,
        ["target"] = "local",
        ["cpu"] = 1,
        ["gpu"] = 0,
        ["memory"] = 0.5,
        ["disk"] = 1,
        ["state"] = "started",
        ["desiredState"] = "started",
        ["autoDeleteInterval"] = -1,
        ["createdAt"] = "2026-01-02T03:04:05.678Z",
        ["toolboxProxyUrl"] = "http://127.0.0.1:3000/toolbox",
    };

    private static JsonObject ApiError(int status) => new()
    {
        ["statusCode"] = status,
        ["message"] = "Invalid credentials",
        ["error"] = "Unauthorized",
        ["path"] = "/api/sandbox",
        ["timestamp"] = "2026-01-02T03:04:05.678Z",
    };

    [ContractFact]
    public void FindReferenceDirectory_RepositoryLayout_FindsBothDocuments()
    {
        var directory = OpenApiContract.FindReferenceDirectory();

        Assert.NotNull(directory);
        Assert.True(File.Exists(Path.Combine(directory, "api.json")));
        Assert.True(File.Exists(Path.Combine(directory, "toolbox.json")));
        Assert.Equal(Path.GetFullPath(directory), Path.GetFullPath(Contract.Directory));
    }

    [ContractFact]
    public void Evaluate_ValidSandbox_Passes()
    {
        var errors = OpenApiContract.Evaluate(Contract.GetDefinitionSchema(ContractKind.Api, "Sandbox"), ValidSandbox());

        Assert.Empty(errors);
    }

    [ContractFact]
    public void Evaluate_SandboxWithoutToolboxProxyUrl_FailsNamingIt()
    {
        var sandbox = ValidSandbox();
        sandbox.Remove("toolboxProxyUrl");

        var errors = OpenApiContract.Evaluate(Contract.GetDefinitionSchema(ContractKind.Api, "Sandbox"), sandbox);

        var error = Assert.Single(errors);
        Assert.Contains("toolboxProxyUrl", error);
        Assert.Contains("required", error);
    }

    [ContractFact]
    public void Evaluate_SandboxWithWrongType_FailsAtTheField()
    {
        var sandbox = ValidSandbox();
        sandbox["cpu"] = "two";

        var errors = OpenApiContract.Evaluate(Contract.GetDefinitionSchema(ContractKind.Api, "Sandbox"), sandbox);

        Assert.Contains(errors, e => e.StartsWith("/cpu:", StringComparison.Ordinal) && e.Contains("type", StringComparison.Ordinal));
    }

    [ContractFact]
    public void Evaluate_SandboxWithStateOutsideEnum_Fails()
    {
        var sandbox = ValidSandbox();
        sandbox["state"] = "running";

        var errors = OpenApiContract.Evaluate(Contract.GetDefinitionSchema(ContractKind.Api, "Sandbox"), sandbox);

        Assert.Contains(errors, e => e.StartsWith("/state:", StringComparison.Ordinal));
    }

    [ContractFact]
    public void Evaluate_SandboxEnvWithNonStringValue_Fails()
    {
        var sandbox = ValidSandbox();
        sandbox["env"] = new JsonObject { ["A"] = 1 };

        var errors = OpenApiContract.Evaluate(Contract.GetDefinitionSchema(ContractKind.Api, "Sandbox"), sandbox);

        Assert.Contains(errors, e => e.StartsWith("/env/A:", StringComparison.Ordinal));
    }

    [ContractFact]
    public void Evaluate_ExecuteResponseWithoutResult_Fails()
    {
        var errors = OpenApiContract.Evaluate(Contract.GetDefinitionSchema(ContractKind.Toolbox, "ExecuteResponse"), new JsonObject { ["exitCode"] = 0 });

        Assert.Contains(errors, e => e.Contains("result", StringComparison.Ordinal));
    }

    [ContractFact]
    public void Evaluate_ExecuteResponseWithResult_Passes()
    {
        var errors = OpenApiContract.Evaluate(Contract.GetDefinitionSchema(ContractKind.Toolbox, "ExecuteResponse"), new JsonObject { ["exitCode"] = 3, ["result"] = "out" });

        Assert.Empty(errors);
    }

    [ContractFact]
    public void GetDefinitionSchema_UnknownName_Throws()
    {
        Assert.Throws<ArgumentException>(() => Contract.GetDefinitionSchema(ContractKind.Toolbox, "NoSuchThing"));
    }

    [ContractFact]
    public void FindOperation_ApiTemplatePath_MatchesAndCapturesValues()
    {
        var operation = Contract.FindOperation(ContractKind.Api, "post", "/api/sandbox/my%20box/start?x=1");

        Assert.NotNull(operation);
        Assert.Equal("/sandbox/{sandboxIdOrName}/start", operation.Template);
        Assert.Equal("POST", operation.Method);
        Assert.Equal("my box", operation.PathValues["sandboxIdOrName"]);
    }

    [ContractFact]
    public void FindOperation_LiteralSegment_PreferredOverTemplate()
    {
        var literal = Contract.FindOperation(ContractKind.Api, "GET", "/api/sandbox/paginated");
        var templated = Contract.FindOperation(ContractKind.Api, "GET", "/api/sandbox/abc");

        Assert.Equal("/sandbox/paginated", literal?.Template);
        Assert.Equal("/sandbox/{sandboxIdOrName}", templated?.Template);
    }

    [ContractFact]
    public void FindOperation_ToolboxPath_StripsToolboxAndSandboxId()
    {
        var operation = Contract.FindOperation(ContractKind.Toolbox, "POST", "/toolbox/sandbox-1/process/execute");

        Assert.Equal("/process/execute", operation?.Template);
        Assert.Equal(ContractKind.Toolbox, operation?.Kind);
    }

    [ContractFact]
    public void FindOperation_UnknownPathOrMethod_ReturnsNull()
    {
        Assert.Null(Contract.FindOperation(ContractKind.Api, "GET", "/api/no-such-thing"));
        Assert.Null(Contract.FindOperation(ContractKind.Api, "PATCH", "/api/sandbox"));
        Assert.Null(Contract.FindOperation(ContractKind.Api, "GET", "/sandbox"));
        Assert.Null(Contract.FindOperation(ContractKind.Toolbox, "POST", "/toolbox/sandbox-1/process/teleport"));
        Assert.Null(Contract.FindOperation(ContractKind.Toolbox, "POST", "/toolbox/process/execute"));
    }

    [ContractFact]
    public void Classify_Prefixes_PickTheDocument()
    {
        Assert.Equal(ContractKind.Api, OpenApiContract.Classify("/api/sandbox?limit=1"));
        Assert.Equal(ContractKind.Toolbox, OpenApiContract.Classify("/toolbox/x/files"));
        Assert.Null(OpenApiContract.Classify("/health"));
    }

    [ContractFact]
    public void CheckResponse_UnknownOperation_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/not-in-the-spec", 200, "application/json", "{}");

        Assert.False(check.IsValid);
        Assert.Contains("no such operation", Assert.Single(check.Errors));
    }

    [ContractFact]
    public void CheckRequest_UnknownOperation_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Toolbox, "PUT", "/toolbox/x/process/execute", null, (string?)null, Bearer);

        Assert.False(check.IsValid);
    }

    [ContractFact]
    public void CheckResponse_ValidSandboxOnGet_Passes()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox/demo", 200, "application/json; charset=utf-8", ValidSandbox().ToJsonString());

        Assert.True(check.IsValid, check.ToString());
        Assert.Equal(StatusMatch.Declared, check.Status);
    }

    [ContractFact]
    public void CheckResponse_SandboxMissingToolboxProxyUrl_FailsNamingTheField()
    {
        var sandbox = ValidSandbox();
        sandbox.Remove("toolboxProxyUrl");

        var check = Contract.CheckResponse(ContractKind.Api, "POST", "/api/sandbox/demo/stop", 200, "application/json", sandbox.ToJsonString());

        Assert.False(check.IsValid);
        Assert.Contains(check.Errors, e => e.Contains("toolboxProxyUrl", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_NullableCursor_AcceptsNull()
    {
        var body = new JsonObject { ["items"] = new JsonArray(), ["nextCursor"] = null }.ToJsonString();

        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox?limit=100", 200, "application/json", body);

        Assert.True(check.IsValid, check.ToString());
    }

    [ContractFact]
    public void CheckResponse_NullInNonNullableField_Fails()
    {
        var sandbox = ValidSandbox();
        sandbox["name"] = null;

        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox/demo", 200, "application/json", sandbox.ToJsonString());

        Assert.Contains(check.Errors, e => e.Contains("/name:", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_ListMissingRequiredCursor_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox", 200, "application/json", """{"items":[]}""");

        Assert.Contains(check.Errors, e => e.Contains("nextCursor", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_Undeclared2xx_AcceptedAndValidatedAgainstDeclaredSchema()
    {
        var valid = Contract.CheckResponse(ContractKind.Api, "POST", "/api/sandbox", 201, "application/json", ValidSandbox().ToJsonString());
        var invalid = Contract.CheckResponse(ContractKind.Api, "POST", "/api/sandbox", 201, "application/json", """{"id":"x"}""");

        Assert.True(valid.IsValid, valid.ToString());
        Assert.Equal(StatusMatch.Undeclared2xx, valid.Status);
        Assert.False(invalid.IsValid);
    }

    [ContractFact]
    public void CheckResponse_Undeclared2xxWithoutBodyWhereSchemaDeclared_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "POST", "/api/sandbox/demo/start", 204, null, "");

        Assert.False(check.IsValid);
        Assert.Contains(check.Errors, e => e.Contains("empty", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_ApiErrorShape_AcceptedForUndeclaredErrorStatus()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox/demo", 401, "application/json", ApiError(401).ToJsonString());

        Assert.True(check.IsValid, check.ToString());
        Assert.Equal(StatusMatch.ErrorShapeFallback, check.Status);
    }

    [ContractFact]
    public void CheckResponse_ApiErrorWithoutErrorPathTimestamp_FailsNamingThem()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox/demo", 401, "application/json", """{"statusCode":401,"message":"no"}""");

        var error = Assert.Single(check.Errors);
        Assert.Contains("error", error);
        Assert.Contains("path", error);
        Assert.Contains("timestamp", error);
    }

    [ContractFact]
    public void CheckResponse_ErrorStatusWithEmptyBody_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox/demo", 404, null, "");

        Assert.False(check.IsValid);
    }

    [ContractFact]
    public void CheckResponse_ErrorBodyStatusCodeDiffersFromHttpStatus_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Api, "GET", "/api/sandbox/demo", 404, "application/json", ApiError(500).ToJsonString());

        Assert.Contains(check.Errors, e => e.Contains("statusCode", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_ToolboxErrorResponse_ValidatesCodeEnum()
    {
        var valid = new JsonObject { ["statusCode"] = 404, ["message"] = "missing", ["path"] = "/files/info", ["timestamp"] = "2026-01-02T03:04:05Z", ["code"] = "FILE_NOT_FOUND" };
        var invalid = valid.DeepClone().AsObject();
        invalid["code"] = "NO_SUCH_CODE";

        var ok = Contract.CheckResponse(ContractKind.Toolbox, "GET", "/toolbox/x/files/info?path=a", 404, "application/json", valid.ToJsonString());
        var bad = Contract.CheckResponse(ContractKind.Toolbox, "GET", "/toolbox/x/files/info?path=a", 404, "application/json", invalid.ToJsonString());

        Assert.True(ok.IsValid, ok.ToString());
        Assert.Equal(StatusMatch.Declared, ok.Status);
        Assert.Contains(bad.Errors, e => e.StartsWith("response /code:", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_ToolboxUndeclaredError_UsesErrorResponse()
    {
        var check = Contract.CheckResponse(ContractKind.Toolbox, "POST", "/toolbox/x/process/execute", 401, "application/json", """{"statusCode":401,"message":"no"}""");

        Assert.Equal(StatusMatch.ErrorShapeFallback, check.Status);
        Assert.Contains(check.Errors, e => e.Contains("path", StringComparison.Ordinal) && e.Contains("timestamp", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_DeclaredJsonWithEmptyBody_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Toolbox, "GET", "/toolbox/x/files/info?path=a", 200, "application/json", "");

        Assert.False(check.IsValid);
    }

    [ContractFact]
    public void CheckResponse_DeclaredJsonSentAsText_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Toolbox, "POST", "/toolbox/x/process/execute", 200, "text/plain", """{"result":"x"}""");

        Assert.Contains(check.Errors, e => e.Contains("Content-Type", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_MalformedJson_Fails()
    {
        var check = Contract.CheckResponse(ContractKind.Toolbox, "POST", "/toolbox/x/process/execute", 200, "application/json", """{"result":""");

        Assert.Contains(check.Errors, e => e.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckResponse_FileDownload_StatusCheckedBodyNotValidated()
    {
        var ok = Contract.CheckResponse(ContractKind.Toolbox, "GET", "/toolbox/x/files/download?path=a", 200, "application/octet-stream", "\u0001binary");
        var undeclared = Contract.CheckResponse(ContractKind.Toolbox, "GET", "/toolbox/x/files/download?path=a", 302, null, "");

        Assert.True(ok.IsValid, ok.ToString());
        Assert.False(undeclared.IsValid);
        Assert.Equal(StatusMatch.Undeclared, undeclared.Status);
    }

    [ContractFact]
    public void CheckResponse_2xxWithoutSchema_NothingToValidate()
    {
        var check = Contract.CheckResponse(ContractKind.Toolbox, "POST", "/toolbox/x/files/folder?path=a&mode=755", 201, null, "");

        Assert.True(check.IsValid, check.ToString());
        Assert.Equal(StatusMatch.Declared, check.Status);
    }

    [ContractFact]
    public void CheckRequest_ValidExecute_Passes()
    {
        var check = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/process/execute", "application/json", """{"command":"echo hi","cwd":"/workspace","envs":{"A":"1"},"timeout":5}""", Bearer);

        Assert.True(check.IsValid, check.ToString());
    }

    [ContractFact]
    public void CheckRequest_ExecuteWithoutCommand_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/process/execute", "application/json", """{"cwd":"/workspace"}""", Bearer);

        Assert.Contains(check.Errors, e => e.Contains("command", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckRequest_ExecuteTimeoutAsString_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/process/execute", "application/json", """{"command":"ls","timeout":"5"}""", Bearer);

        Assert.Contains(check.Errors, e => e.Contains("/timeout", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckRequest_RequiredJsonBodyMissing_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Api, "POST", "/api/sandbox", null, (string?)null, Bearer);

        Assert.Contains(check.Errors, e => e.Contains("body is required", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckRequest_CreateSandboxWithWrongFieldType_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Api, "POST", "/api/sandbox", "application/json", """{"labels":{"a":1},"autoDeleteInterval":0}""", Bearer);

        Assert.Contains(check.Errors, e => e.Contains("/labels/a", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckRequest_MissingRequiredQueryParameter_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/folder?path=a", null, (string?)null, Bearer);

        Assert.Contains("query parameter 'mode': required but missing", check.Errors);
    }

    [ContractFact]
    public void CheckRequest_UndeclaredQueryParameter_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Toolbox, "GET", "/toolbox/x/files/info?path=a&verbose=1", null, (string?)null, Bearer);

        Assert.Contains(check.Errors, e => e.StartsWith("query parameter 'verbose': not declared", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckRequest_QueryParameterOutOfRangeOrWrongType_Fails()
    {
        var tooLarge = Contract.CheckRequest(ContractKind.Api, "GET", "/api/sandbox?limit=500", null, (string?)null, Bearer);
        var notNumber = Contract.CheckRequest(ContractKind.Api, "GET", "/api/sandbox?limit=many", null, (string?)null, Bearer);
        var fine = Contract.CheckRequest(ContractKind.Api, "GET", "/api/sandbox?limit=100&cursor=abc", null, (string?)null, Bearer);

        Assert.Contains(tooLarge.Errors, e => e.StartsWith("query parameter 'limit'", StringComparison.Ordinal));
        Assert.Contains(notNumber.Errors, e => e.StartsWith("query parameter 'limit'", StringComparison.Ordinal));
        Assert.True(fine.IsValid, fine.ToString());
    }

    [ContractFact]
    public void CheckRequest_BooleanQueryParameter_Coerced()
    {
        var ok = Contract.CheckRequest(ContractKind.Toolbox, "DELETE", "/toolbox/x/files?path=a&recursive=true", null, (string?)null, Bearer);
        var bad = Contract.CheckRequest(ContractKind.Toolbox, "DELETE", "/toolbox/x/files?path=a&recursive=yes", null, (string?)null, Bearer);

        Assert.True(ok.IsValid, ok.ToString());
        Assert.False(bad.IsValid);
    }

    [ContractFact]
    public void CheckRequest_BodyOnOperationWithoutBody_Fails()
    {
        var check = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/move?source=a&destination=b", "application/json", """{"source":"a"}""", Bearer);

        Assert.Contains(check.Errors, e => e.Contains("takes no body", StringComparison.Ordinal));
    }

    [ContractFact]
    public void CheckRequest_WithoutBearer_Fails()
    {
        var none = Contract.CheckRequest(ContractKind.Api, "GET", "/api/sandbox", null, (string?)null, new Dictionary<string, string>());
        var basic = Contract.CheckRequest(ContractKind.Toolbox, "GET", "/toolbox/x/files", null, (string?)null, new Dictionary<string, string> { ["authorization"] = "Basic abc" });

        Assert.Contains(none.Errors, e => e.Contains("Bearer", StringComparison.Ordinal));
        Assert.Contains(basic.Errors, e => e.Contains("Bearer", StringComparison.Ordinal));
    }

    [ContractFact]
    public async Task CheckRequest_MultipartUpload_ChecksFieldNames()
    {
        static async Task<(string ContentType, byte[] Body)> Multipart(string field)
        {
            using var content = new MultipartFormDataContent("test-boundary");
            var file = new ByteArrayContent([1, 2, 3]);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, field, "a.bin");
            return (content.Headers.ContentType!.ToString(), await content.ReadAsByteArrayAsync());
        }

        var (goodType, goodBody) = await Multipart("file");
        var (badType, badBody) = await Multipart("blob");

        var good = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/upload-v2?path=a.bin", goodType, goodBody, Bearer);
        var bad = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/upload-v2?path=a.bin", badType, badBody, Bearer);
        var json = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/upload-v2?path=a.bin", "application/json", "{}", Bearer);

        Assert.True(good.IsValid, good.ToString());
        Assert.Contains(bad.Errors, e => e.Contains("'blob'", StringComparison.Ordinal));
        Assert.Contains(json.Errors, e => e.Contains("Content-Type", StringComparison.Ordinal));
    }

    private static async Task<(string ContentType, byte[] Body)> MultipartAsync(params (string Name, string? FileName, byte[] Content)[] parts)
    {
        using var content = new MultipartFormDataContent("DAYTONA-FILE-BOUNDARY");
        foreach (var (name, fileName, bytes) in parts)
        {
            var part = new ByteArrayContent(bytes);
            if (fileName is null)
            {
                content.Add(part, name);
            }
            else
            {
                content.Add(part, name, fileName);
            }
        }

        return (content.Headers.ContentType!.ToString(), await content.ReadAsByteArrayAsync());
    }

    [ContractFact]
    public async Task CheckRequest_BulkUpload_PathPartBeforeFilePart()
    {
        var (goodType, goodBody) = await MultipartAsync(("files[0].path", null, "a.txt"u8.ToArray()), ("files[0].file", "a.txt", [1, 2]));
        var (swappedType, swappedBody) = await MultipartAsync(("files[0].file", "a.txt", [1, 2]), ("files[0].path", null, "a.txt"u8.ToArray()));
        var (oddType, oddBody) = await MultipartAsync(("file", "a.txt", [1, 2]));

        var good = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/bulk-upload", goodType, goodBody, Bearer);
        var swapped = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/bulk-upload", swappedType, swappedBody, Bearer);
        var odd = Contract.CheckRequest(ContractKind.Toolbox, "POST", "/toolbox/x/files/bulk-upload", oddType, oddBody, Bearer);

        Assert.True(good.IsValid, good.ToString());
        Assert.Contains(swapped.Errors, e => e.Contains("comes before", StringComparison.Ordinal));
        Assert.Contains(odd.Errors, e => e.Contains("'file'", StringComparison.Ordinal));
    }

    [ContractFact]
    public async Task CheckResponse_BulkDownload_ChecksFileAndErrorParts()
    {
        var error = new JsonObject { ["statusCode"] = 404, ["message"] = "missing", ["path"] = "b.txt", ["timestamp"] = "2026-01-02T03:04:05Z", ["code"] = "FILE_NOT_FOUND" };
        var (goodType, goodBody) = await MultipartAsync(("file", "a.txt", [1, 2, 3]), ("error", null, System.Text.Encoding.UTF8.GetBytes(error.ToJsonString())));
        var (badType, badBody) = await MultipartAsync(("blob", "a.txt", [1]), ("error", null, """{"message":"x"}"""u8.ToArray()));

        var good = Contract.CheckResponse(ContractKind.Toolbox, "POST", "/toolbox/x/files/bulk-download", 200, goodType, goodBody);
        var bad = Contract.CheckResponse(ContractKind.Toolbox, "POST", "/toolbox/x/files/bulk-download", 200, badType, badBody);
        var json = Contract.CheckResponse(ContractKind.Toolbox, "POST", "/toolbox/x/files/bulk-download", 200, "application/json", "{}");

        Assert.True(good.IsValid, good.ToString());
        Assert.Contains(bad.Errors, e => e.Contains("'blob'", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("part 1 'error'", StringComparison.Ordinal) && e.Contains("statusCode", StringComparison.Ordinal));
        Assert.False(json.IsValid);
    }

    [ContractFact]
    public void GetResponse_OperationWithoutDeclaredStatus_ReportsUndeclared()
    {
        var operation = Contract.FindOperation(ContractKind.Toolbox, "POST", "/toolbox/x/process/execute")!;

        Assert.Equal(StatusMatch.Undeclared, Contract.GetResponse(operation, 302).Match);
        Assert.Equal(StatusMatch.Declared, Contract.GetResponse(operation, 408).Match);
        Assert.Equal(StatusMatch.Undeclared2xx, Contract.GetResponse(operation, 201).Match);
    }

    [ContractFact]
    public void GetRequestSchema_OperationsWithAndWithoutBody()
    {
        var create = Contract.FindOperation(ContractKind.Api, "POST", "/api/sandbox")!;
        var start = Contract.FindOperation(ContractKind.Api, "POST", "/api/sandbox/x/start")!;
        var commit = Contract.FindOperation(ContractKind.Toolbox, "POST", "/toolbox/x/git/commit")!;

        Assert.NotNull(Contract.GetRequestSchema(create));
        Assert.Null(Contract.GetRequestSchema(start));
        Assert.NotNull(Contract.GetRequestSchema(commit));
    }
}
