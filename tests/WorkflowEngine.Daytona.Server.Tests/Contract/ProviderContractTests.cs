using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Rest;
using WorkflowEngine.Daytona.Sandboxes;
using Xunit.Abstractions;

namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>
/// End to end against the contract: the REST provider (client) talks to the Daytona-compatible server over a
/// recording proxy, the server runs real local sandboxes, and every recorded request and response is checked
/// against <c>api.json</c> / <c>toolbox.json</c>. Violations name the side at fault: CLIENT (request) or SERVER (response).
/// </summary>
public sealed class ProviderContractTests(ITestOutputHelper output)
{
    /// <summary>
    /// The spec operations the provider's operations must reach (so the test cannot pass on a handful of calls); each
    /// entry lists alternatives where the contract offers two routes for the same job (upload-v2 or bulk-upload…).
    /// </summary>
    private static readonly string[][] ExpectedOperations =
    [
        ["Api POST /sandbox"],
        ["Api GET /sandbox"],
        ["Api GET /sandbox/{sandboxIdOrName}"],
        ["Api DELETE /sandbox/{sandboxIdOrName}"],
        ["Api POST /sandbox/{sandboxIdOrName}/start"],
        ["Api POST /sandbox/{sandboxIdOrName}/stop"],
        ["Toolbox POST /process/execute"],
        ["Toolbox POST /process/code-run"],
        ["Toolbox POST /files/upload-v2", "Toolbox POST /files/bulk-upload"],
        ["Toolbox GET /files/download", "Toolbox POST /files/bulk-download"],
        ["Toolbox GET /files/info"],
        ["Toolbox GET /files"],
        ["Toolbox POST /files/folder"],
        ["Toolbox POST /files/move"],
        ["Toolbox DELETE /files"],
        ["Toolbox POST /git/init"],
        ["Toolbox POST /git/add"],
        ["Toolbox POST /git/commit"],
        ["Toolbox GET /git/status"],
        ["Toolbox GET /git/branches"],
        ["Toolbox POST /git/branches"],
        ["Toolbox POST /git/checkout"],
        ["Toolbox GET /git/history"],
        ["Toolbox POST /git/clone"],
        ["Toolbox POST /git/push"],
        ["Toolbox POST /git/pull"],
    ];

    private static OpenApiContract Contract => OpenApiContract.Shared;

    [SandboxContractFact]
    public async Task EveryProviderOperation_RequestsAndResponses_ValidateAgainstContract()
    {
        await using var rig = await Rig.StartAsync();
        var client = rig.Client;
        var steps = new StepLog(output);

        // Lifecycle: create (persistent, so that stop keeps it), get, list.
        var name = "contract-" + Guid.NewGuid().ToString("N")[..8];
        var created = await steps.Run("create", () => client.CreateAsync(new SandboxSpec
        {
            Name = name,
            Language = "python",
            Persistent = true,
            EnvironmentVars = new Dictionary<string, string> { ["CONTRACT_ENV"] = "from-create" },
            Labels = new Dictionary<string, string> { ["suite"] = "contract" },
        }), s => Expect(s.Name == name, $"name {s.Name}")
                 ?? Expect(s.State == "started", $"state {s.State}")
                 ?? Expect(s.Language == "python", $"language {s.Language}")
                 ?? Expect(s.Labels.GetValueOrDefault("suite") == "contract", "label suite missing")
                 ?? Expect(s.EnvironmentVars.GetValueOrDefault("CONTRACT_ENV") == "from-create", "env CONTRACT_ENV missing"));
        Assert.True(created is not null, "create failed, nothing else can run:" + Environment.NewLine + steps.Report());
        var id = created.Id;

        await steps.Run("get by name", () => client.GetAsync(name), s => Expect(s.Id == id, $"id {s.Id}"));
        await steps.Run("get by id", () => client.GetAsync(id), s => Expect(s.Name == name, $"name {s.Name}"));
        await steps.Run("list", () => client.ListAsync(), all => Expect(all.Any(s => s.Id == id), "the sandbox is not listed"));

        // Files.
        const string Hello = "hello contract\n";
        var blob = RandomNumberGenerator.GetBytes(64 * 1024);
        await steps.Run("mkdir", () => client.Files.CreateDirectoryAsync(id, "/workspace/dir"), e => Expect(e.IsDirectory, "not a directory"));
        await steps.Run("write", () => client.Files.WriteAsync(id, "/workspace/dir/hello.txt", Encoding.UTF8.GetBytes(Hello)), e => Expect(e.Size == Hello.Length, $"size {e.Size}"));
        await steps.Run("upload", () => client.Files.UploadAsync(id, "dir/data.bin", new MemoryStream(blob)), e => Expect(e.Size == blob.Length, $"size {e.Size}"));
        await steps.Run("read", () => client.Files.ReadAsync(id, "/workspace/dir/hello.txt"), b => Expect(Encoding.UTF8.GetString(b) == Hello, "content differs"));
        using (var downloaded = new MemoryStream())
        {
            await steps.Run("download", () => client.Files.DownloadAsync(id, "/workspace/dir/data.bin", downloaded), _ => Expect(downloaded.ToArray().AsSpan().SequenceEqual(blob), $"{downloaded.Length} bytes differ"));
        }

        await steps.Run("list files", () => client.Files.ListAsync(id, "/workspace/dir"), entries => Expect(entries.Select(e => e.Name).Order(StringComparer.Ordinal).SequenceEqual(["data.bin", "hello.txt"]), string.Join(",", entries.Select(e => e.Name))));
        await steps.Run("info", () => client.Files.InfoAsync(id, "/workspace/dir/hello.txt"), e => Expect(!e.IsDirectory && e.Size == Hello.Length && e.Name == "hello.txt", $"{e}"));
        await steps.Run("move", () => client.Files.MoveAsync(id, "/workspace/dir/hello.txt", "/workspace/dir/moved.txt"), e => Expect(e.Name == "moved.txt", $"{e}"));
        await steps.Run("delete file", () => client.Files.DeleteAsync(id, "/workspace/dir/data.bin"));
        await steps.Fails("info of a deleted file", () => client.Files.InfoAsync(id, "/workspace/dir/data.bin"), SandboxErrorKind.NotFound);

        // Process.
        await steps.Run("exec with cwd, env, timeout", () => client.Process.ExecAsync(id, new ExecRequest
        {
            Command = ["bash", "-c", "echo \"$CONTRACT_ENV:$EXTRA:$(pwd)\""],
            WorkingDirectory = "/workspace/dir",
            Environment = new Dictionary<string, string> { ["EXTRA"] = "x y" },
            Timeout = TimeSpan.FromSeconds(30),
        }), r => Expect(r.ExitCode == 0 && r.Stdout.Contains("from-create:x y:/workspace/dir", StringComparison.Ordinal), $"exit {r.ExitCode}, stdout '{r.Stdout}', stderr '{r.Stderr}'"));
        await steps.Run("exec non-zero exit", () => client.Process.ExecAsync(id, new ExecRequest { Command = ["bash", "-c", "echo out; exit 3"] }), r => Expect(r.ExitCode == 3 && r.Stdout.Contains("out", StringComparison.Ordinal), $"exit {r.ExitCode}, stdout '{r.Stdout}'"));
        await steps.Run("exec timeout", () => client.Process.ExecAsync(id, new ExecRequest { Command = ["sleep", "20"], Timeout = TimeSpan.FromSeconds(1) }), r => Expect(r.TimedOut, $"not timed out: exit {r.ExitCode}, stdout '{r.Stdout}'"));
        await steps.Run("run python", () => client.Process.RunCodeAsync(id, "python", "import os\nprint(os.environ.get('CONTRACT_ENV'), 2 + 3)"), r => Expect(r.ExitCode == 0 && r.Stdout.Contains("from-create 5", StringComparison.Ordinal), $"exit {r.ExitCode}, stdout '{r.Stdout}', stderr '{r.Stderr}'"));
        await steps.Run("run javascript", () => client.Process.RunCodeAsync(id, "javascript", "console.log(6 * 7)", TimeSpan.FromSeconds(30)), r => Expect(r.ExitCode == 0 && r.Stdout.Contains("42", StringComparison.Ordinal), $"exit {r.ExitCode}, stdout '{r.Stdout}', stderr '{r.Stderr}'"));
        await steps.Run("run bash with cwd", () => client.Process.RunCodeAsync(id, "bash", "echo bash-$((1 + 1)) $(pwd)", workingDirectory: "/workspace/dir"), r => Expect(r.Stdout.Contains("bash-2 /workspace/dir", StringComparison.Ordinal), $"stdout '{r.Stdout}'"));

        // Git in a new repository.
        await steps.Run("git init", () => client.Git.InitAsync(id, "/workspace/repo"));
        await steps.Run("write README", () => client.Files.WriteAsync(id, "/workspace/repo/README.md", "# contract\n"u8.ToArray()));
        await steps.Run("git status (untracked)", () => client.Git.StatusAsync(id, "/workspace/repo"), s => Expect(s.Files.Any(f => f.EndsWith("README.md", StringComparison.Ordinal)), string.Join("|", s.Files)));
        await steps.Run("git add", () => client.Git.AddAsync(id, "/workspace/repo", ["README.md"]));
        var hash = await steps.Run("git commit", () => client.Git.CommitAsync(id, "/workspace/repo", "initial commit", "Contract", "contract@example.com"), h => Expect(h.Length == 40 && h.All(char.IsAsciiHexDigitLower), $"hash '{h}'"));
        await steps.Run("git branches", () => client.Git.BranchesAsync(id, "/workspace/repo"), b => Expect(b.Count == 1, string.Join(",", b)));
        await steps.Run("git checkout new branch", () => client.Git.CheckoutAsync(id, "/workspace/repo", "feature"));
        await steps.Run("git branches after checkout", () => client.Git.BranchesAsync(id, "/workspace/repo"), b => Expect(b.Contains("feature"), string.Join(",", b)));
        await steps.Run("git status on branch", () => client.Git.StatusAsync(id, "/workspace/repo"), s => Expect(s.Branch == "feature" && s.Files.Count == 0, $"{s.Branch} {string.Join("|", s.Files)}"));
        await steps.Run("git log", () => client.Git.LogAsync(id, "/workspace/repo"), log => Expect(log.Count == 1 && log[0].Hash == hash && log[0].Message.Trim() == "initial commit" && log[0].Author == "Contract", string.Join(";", log)));

        // Git against a bare repository on the host (clone, push, pull).
        using var host = new TempFolder();
        var bare = await steps.Run("host bare repository", () => HostGit.CreateBareRepositoryAsync(host.Path));
        if (bare is not null)
        {
            await steps.Run("git clone", () => client.Git.CloneAsync(id, "file://" + bare, "/workspace/clone"));
            await steps.Run("write in clone", () => client.Files.WriteAsync(id, "/workspace/clone/pushed.txt", "pushed\n"u8.ToArray()));
            await steps.Run("git add all", () => client.Git.AddAsync(id, "/workspace/clone", []));
            var pushedHash = await steps.Run("git commit in clone", () => client.Git.CommitAsync(id, "/workspace/clone", "pushed from the sandbox"));
            await steps.Run("git push", () => client.Git.PushAsync(id, "/workspace/clone"));
            await steps.Run("pushed commit on host", () => HostGit.RunAsync("--git-dir=" + bare, "rev-parse", "main"), head => Expect(head.Trim() == pushedHash, $"host main is {head.Trim()}"));
            await steps.Run("git pull", () => client.Git.PullAsync(id, "/workspace/clone"));
        }

        // Lifecycle: stop, start, delete.
        await steps.Run("stop", () => client.StopAsync(id), s => Expect(s.State == "stopped", $"state {s.State}"));
        await steps.Run("start", () => client.StartAsync(id), s => Expect(s.State == "started", $"state {s.State}"));
        await steps.Run("exec after restart", () => client.Process.ExecAsync(id, new ExecRequest { Command = ["cat", "/workspace/dir/moved.txt"] }), r => Expect(r.Stdout == Hello, $"stdout '{r.Stdout}'"));
        await steps.Run("delete", () => client.DeleteAsync(id));
        await steps.Fails("get after delete", () => client.GetAsync(id), SandboxErrorKind.NotFound);

        var exchanges = rig.Proxy.Exchanges;
        if (Environment.GetEnvironmentVariable("CONTRACT_DUMP") is { Length: > 0 } dump)
        {
            await File.WriteAllLinesAsync(dump, exchanges.Select(e => $"{e}\n  > {e.RequestContentType} {(e.RequestContentType?.Contains("json") == true ? e.RequestText : "")}\n  < {e.ResponseContentType} {(e.ResponseContentType?.Contains("json") == true ? e.ResponseText : "")}"));
        }

        var verdict = Verdict.Of(exchanges);
        output.WriteLine(verdict.Report());

        // Control: the oracle rejects this very traffic once a required field is removed, so a pass means something.
        var create = exchanges.First(e => e.Method == "POST" && e.Path == "/api/sandbox");
        var sandboxWithoutUrl = JsonNode.Parse(create.ResponseText)!.AsObject();
        sandboxWithoutUrl.Remove("toolboxProxyUrl");
        var execute = exchanges.First(e => e.Method == "POST" && e.Path.EndsWith("/process/execute", StringComparison.Ordinal));
        var executeWithoutCommand = JsonNode.Parse(execute.RequestText)!.AsObject();
        executeWithoutCommand.Remove("command");
        Assert.False(Contract.CheckResponse(ContractKind.Api, create.Method, create.PathAndQuery, create.Status, create.ResponseContentType, sandboxWithoutUrl.ToJsonString()).IsValid, "control: a Sandbox without toolboxProxyUrl must fail");
        Assert.False(Contract.CheckRequest(ContractKind.Toolbox, execute.Method, execute.PathAndQuery, execute.RequestContentType, executeWithoutCommand.ToJsonString(), execute.RequestHeaders).IsValid, "control: an ExecuteRequest without command must fail");

        Assert.True(steps.Failures.Count == 0, "Provider operations through the server failed (behaviour, see also contract report):" + Environment.NewLine + steps.Report() + Environment.NewLine + verdict.Report());
        Assert.True(verdict.Violations.Count == 0, "CONTRACT VIOLATIONS (CLIENT = request sent by DaytonaSandboxProvider, SERVER = response of DaytonaServer):" + Environment.NewLine + verdict.Report());
        var missing = ExpectedOperations.Where(alternatives => !alternatives.Any(verdict.Covered.Contains)).Select(a => string.Join(" or ", a)).ToList();
        Assert.True(missing.Count == 0, "Operations not exercised: " + string.Join(", ", missing) + Environment.NewLine + verdict.Report());
        Assert.True(verdict.Covered.Count >= ExpectedOperations.Length, $"only {verdict.Covered.Count} distinct operations covered");
        Assert.True(verdict.Checked >= 40, $"only {verdict.Checked} exchanges were checked");
    }

    [SandboxContractFact]
    public async Task UnauthenticatedRequests_Get401WithContractErrorBodies()
    {
        await using var rig = await Rig.StartAsync();
        using var http = new HttpClient { BaseAddress = rig.Proxy.BaseUrl };

        async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? authorization, string? json = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var statuses = new[]
        {
            await SendAsync(HttpMethod.Get, "api/sandbox", null),
            await SendAsync(HttpMethod.Get, "api/sandbox", "Bearer wrong-key"),
            await SendAsync(HttpMethod.Post, "api/sandbox", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("a:" + Rig.ApiKey)), "{}"),
            await SendAsync(HttpMethod.Delete, "api/sandbox/anything", "Bearer"),
            await SendAsync(HttpMethod.Get, "toolbox/sandbox-000000000000/files?path=.", null),
            await SendAsync(HttpMethod.Post, "toolbox/sandbox-000000000000/process/execute", "Bearer wrong-key", """{"command":"id"}"""),
        };

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var exchanges = rig.Proxy.Exchanges;
        Assert.Equal(statuses.Length, exchanges.Count);
        var violations = new List<string>();
        foreach (var exchange in exchanges)
        {
            var kind = OpenApiContract.Classify(exchange.PathAndQuery)!.Value;
            var check = Contract.CheckResponse(kind, exchange.Method, exchange.PathAndQuery, exchange.Status, exchange.ResponseContentType, exchange.ResponseText, exchange.ResponseBodyTruncated);
            output.WriteLine($"{exchange}: {check}");
            violations.AddRange(check.Errors.Select(e => $"SERVER {exchange}: {e}"));
            if (kind == ContractKind.Api && JsonNode.Parse(exchange.ResponseText) is JsonObject body)
            {
                if (body["error"]?.GetValue<string>() != "Unauthorized")
                {
                    violations.Add($"SERVER {exchange}: /error is {body["error"]?.ToJsonString() ?? "missing"}, the reason phrase of 401 is \"Unauthorized\" (API-NOTES §3)");
                }

                if (body["path"]?.GetValue<string>() != exchange.Path)
                {
                    violations.Add($"SERVER {exchange}: /path is {body["path"]?.ToJsonString() ?? "missing"}, expected the request path \"{exchange.Path}\"");
                }
            }
        }

        Assert.True(violations.Count == 0, "CONTRACT VIOLATIONS (401 bodies):" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [SandboxContractFact]
    public async Task UnknownSandbox_Gets404WithContractErrorBodies()
    {
        await using var rig = await Rig.StartAsync();
        var client = rig.Client;
        const string Missing = "sandbox-doesnotexist";

        var get = await client.GetAsync(Missing);
        var start = await client.StartAsync(Missing);
        var stop = await client.StopAsync(Missing);
        var delete = await client.DeleteAsync(Missing);
        using var http = new HttpClient { BaseAddress = rig.Proxy.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Rig.ApiKey);
        using var execute = await http.PostAsync($"toolbox/{Missing}/process/execute", new StringContent("""{"command":"echo hi"}""", Encoding.UTF8, "application/json"));
        using var info = await http.GetAsync($"toolbox/{Missing}/files/info?path=a.txt");
        using var history = await http.GetAsync($"toolbox/{Missing}/git/history?path=.");

        Assert.Equal(SandboxErrorKind.NotFound, get.Error?.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, start.Error?.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, stop.Error?.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, delete.Error?.Kind);
        Assert.Equal(HttpStatusCode.NotFound, execute.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, info.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);

        var verdict = Verdict.Of(rig.Proxy.Exchanges);
        output.WriteLine(verdict.Report());
        Assert.All(rig.Proxy.Exchanges, e => Assert.Equal(404, e.Status));
        Assert.True(verdict.Checked >= 7, $"only {verdict.Checked} exchanges checked");
        Assert.True(verdict.Violations.Count == 0, "CONTRACT VIOLATIONS (404 bodies):" + Environment.NewLine + verdict.Report());
    }

    [SandboxContractFact]
    public async Task InvalidRequests_GetErrorStatusesWithContractBodies()
    {
        await using var rig = await Rig.StartAsync();
        var created = await rig.Client.CreateAsync(new SandboxSpec { Name = "contract-errors-" + Guid.NewGuid().ToString("N")[..6], Persistent = true });
        Assert.True(created.Succeeded, created.Error?.ToString());
        var id = created.Value!.Id;
        Assert.True((await rig.Client.Files.WriteAsync(id, "/workspace/dir/a.txt", "a"u8.ToArray())).Succeeded);
        Assert.True((await rig.Client.Files.WriteAsync(id, "/workspace/dir/b.txt", "b"u8.ToArray())).Succeeded);
        rig.Proxy.Clear();

        using var http = new HttpClient { BaseAddress = rig.Proxy.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Rig.ApiKey);
        StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
        var toolbox = $"toolbox/{id}/";

        // (request, the status API-NOTES documents for it, or null when it only has to be an error)
        var cases = new (string Name, Func<Task<HttpResponseMessage>> Send, int? Expected)[]
        {
            ("execute with an empty command", () => http.PostAsync(toolbox + "process/execute", Json("""{"command":""}""")), 400),
            ("execute with malformed JSON", () => http.PostAsync(toolbox + "process/execute", Json("""{"command":""")), 400),
            ("code-run in an unknown language", () => http.PostAsync(toolbox + "process/code-run", Json("""{"code":"1","language":"cobol"}""")), 400),
            ("file info without path", () => http.GetAsync(toolbox + "files/info"), 400),
            ("delete a folder without recursive", () => http.DeleteAsync(toolbox + "files?path=dir"), 400),
            ("move onto an existing file", () => http.PostAsync(toolbox + "files/move?source=dir%2Fa.txt&destination=dir%2Fb.txt", null), 409),
            ("move a missing file", () => http.PostAsync(toolbox + "files/move?source=dir%2Fnone.txt&destination=dir%2Fc.txt", null), 404),
            ("download a missing file", () => http.GetAsync(toolbox + "files/download?path=dir%2Fnone.txt"), 404),
            ("git status outside a repository", () => http.GetAsync(toolbox + "git/status?path=dir"), null),
            ("git commit without author", () => http.PostAsync(toolbox + "git/commit", Json("""{"path":"dir","message":"m"}""")), 400),
            ("create with a wrongly typed field", () => http.PostAsync("api/sandbox", Json("""{"name":5}""")), 400),
            ("create with malformed JSON", () => http.PostAsync("api/sandbox", Json("{")), 400),
            ("list with a limit out of range", () => http.GetAsync("api/sandbox?limit=0"), 400),
        };

        var problems = new List<string>();
        foreach (var (caseName, send, expected) in cases)
        {
            rig.Proxy.Clear();
            using var response = await send();
            var status = (int)response.StatusCode;
            var exchange = Assert.Single(rig.Proxy.Exchanges);
            var kind = OpenApiContract.Classify(exchange.PathAndQuery)!.Value;
            var check = Contract.CheckResponse(kind, exchange.Method, exchange.PathAndQuery, exchange.Status, exchange.ResponseContentType, exchange.ResponseBody, exchange.ResponseBodyTruncated);
            output.WriteLine($"{caseName}: {exchange} {check}");
            if (expected is { } want ? status != want : status < 400)
            {
                problems.Add($"SERVER {exchange} ({caseName}): status {status}, expected {(expected is null ? "an error status" : expected.ToString())} (API-NOTES){Environment.NewLine}      body: {exchange.ResponseText}");
            }

            problems.AddRange(check.Errors.Select(e => $"SERVER {exchange} ({caseName}): {e}{Environment.NewLine}      body: {exchange.ResponseText}"));
        }

        Assert.True(problems.Count == 0, "CONTRACT VIOLATIONS (error responses):" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    private static string? Expect(bool condition, string otherwise) => condition ? null : otherwise;

    /// <summary>Every recorded exchange checked against the contract.</summary>
    private sealed record Verdict(IReadOnlyList<string> Lines, IReadOnlyList<string> Violations, IReadOnlySet<string> Covered, int Checked)
    {
        public static Verdict Of(IReadOnlyList<RecordedExchange> exchanges)
        {
            var lines = new List<string>();
            var violations = new List<string>();
            var covered = new SortedSet<string>(StringComparer.Ordinal);
            var checkedCount = 0;
            foreach (var exchange in exchanges.Where(e => !e.Intercepted))
            {
                var kind = OpenApiContract.Classify(exchange.PathAndQuery);
                if (kind is null)
                {
                    violations.Add($"CLIENT {exchange}: not a Daytona route (neither /api/… nor /toolbox/{{id}}/…)");
                    continue;
                }

                checkedCount++;
                var request = Contract.CheckRequest(kind.Value, exchange.Method, exchange.PathAndQuery, exchange.RequestContentType, exchange.RequestBody, exchange.RequestHeaders);
                var response = Contract.CheckResponse(kind.Value, exchange.Method, exchange.PathAndQuery, exchange.Status, exchange.ResponseContentType, exchange.ResponseBody, exchange.ResponseBodyTruncated);
                if (request.Operation is { } operation)
                {
                    covered.Add(operation.Key);
                }

                var notes = request.Notes.Concat(response.Notes).ToList();
                lines.Add($"{exchange} [{request.Operation?.Key ?? "unknown"}]{(notes.Count == 0 ? "" : " — " + string.Join("; ", notes))}");
                foreach (var error in request.Errors)
                {
                    violations.Add($"CLIENT {exchange}: {error}{Excerpt(exchange.RequestText, exchange.RequestContentType)}");
                }

                foreach (var error in response.Errors)
                {
                    violations.Add($"SERVER {exchange}: {error}{Excerpt(exchange.ResponseText, exchange.ResponseContentType)}");
                }

                if (exchange.Error is { } failure)
                {
                    violations.Add($"PROXY {exchange}: {failure}");
                }
            }

            return new Verdict(lines, violations, covered, checkedCount);
        }

        public string Report()
        {
            var text = new StringBuilder();
            text.AppendLine($"{Checked} exchanges checked, {Covered.Count} distinct operations, {Violations.Count} violation(s).");
            foreach (var violation in Violations)
            {
                text.Append("  ✗ ").AppendLine(violation);
            }

            text.AppendLine("Exchanges:");
            foreach (var line in Lines)
            {
                text.Append("  ").AppendLine(line);
            }

            return text.ToString();
        }

        private static string Excerpt(string body, string? contentType) =>
            contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && body.Length > 0
                ? $"{Environment.NewLine}      body: {(body.Length <= 600 ? body : body[..600] + "…")}"
                : "";
    }

    /// <summary>Runs provider operations, keeping going after a failure so that the contract report is complete.</summary>
    private sealed class StepLog(ITestOutputHelper output)
    {
        public List<string> Failures { get; } = [];

        public async Task<T?> Run<T>(string name, Func<ValueTask<SandboxResult<T>>> operation, Func<T, string?>? check = null)
        {
            var clock = Stopwatch.StartNew();
            SandboxResult<T> result;
            try
            {
                result = await operation();
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException or TaskCanceledException)
            {
                Failures.Add($"{name}: threw {ex.GetType().Name}: {ex.Message}");
                return default;
            }

            output.WriteLine($"step {name}: {(result.Succeeded ? "ok" : result.Error.ToString())} ({clock.ElapsedMilliseconds} ms)");
            if (!result.Succeeded)
            {
                Failures.Add($"{name}: {result.Error}");
                return default;
            }

            if (check?.Invoke(result.Value) is { } problem)
            {
                Failures.Add($"{name}: unexpected result: {problem}");
            }

            return result.Value;
        }

        public Task<T?> Run<T>(string name, Func<Task<T>> operation, Func<T, string?>? check = null) =>
            Run(name, async () => SandboxResult<T>.Ok(await operation()), check);

        public async Task Fails<T>(string name, Func<ValueTask<SandboxResult<T>>> operation, SandboxErrorKind kind)
        {
            var result = await operation();
            output.WriteLine($"step {name}: {(result.Succeeded ? "ok (expected a failure)" : result.Error.ToString())}");
            if (result.Succeeded || result.Error.Kind != kind)
            {
                Failures.Add($"{name}: expected {kind}, got {(result.Succeeded ? "success" : result.Error.ToString())}");
            }
        }

        public string Report() => Failures.Count == 0 ? "(no failed steps)" : "  - " + string.Join(Environment.NewLine + "  - ", Failures);
    }

    /// <summary>Local provider → server → recording proxy → REST provider, all on 127.0.0.1.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        public const string ApiKey = "contract-test-key";

        private Rig(string dataDirectory, LocalSandboxProvider local, RecordingProxy proxy, DaytonaServer server, DaytonaSandboxProvider client)
        {
            DataDirectory = dataDirectory;
            Local = local;
            Proxy = proxy;
            Server = server;
            Client = client;
        }

        public string DataDirectory { get; }

        public LocalSandboxProvider Local { get; }

        public RecordingProxy Proxy { get; }

        public DaytonaServer Server { get; }

        public DaytonaSandboxProvider Client { get; }

        public static async Task<Rig> StartAsync()
        {
            var dataDirectory = Path.Combine(Path.GetTempPath(), "wfe-contract-" + Guid.NewGuid().ToString("N")[..8]);
            var local = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = dataDirectory, WarmPool = false, CommandTimeout = TimeSpan.FromSeconds(60), GitRoots = [Path.GetTempPath()] });
            var proxy = await RecordingProxy.StartAsync();
            var server = await DaytonaServer.StartAsync(local, new DaytonaServerOptions
            {
                ApiKey = ApiKey,
                BindAddress = "127.0.0.1",
                Port = 0,
                PublicBaseUrl = proxy.BaseUrl.AbsoluteUri,
            });
            proxy.Target = server.BaseUrl;
            var client = new DaytonaSandboxProvider(new DaytonaOptions
            {
                ApiKey = ApiKey,
                ApiUrl = proxy.BaseUrl.AbsoluteUri + "api",
                Target = null,
                OrganizationId = null,
                RetryAttempts = 0,
                StartTimeout = TimeSpan.FromSeconds(60),
                RequestTimeout = TimeSpan.FromSeconds(60),
            });
            return new Rig(dataDirectory, local, proxy, server, client);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Server.DisposeAsync();
            await Proxy.DisposeAsync();
            foreach (var sandbox in (await Local.ListAsync()).Value ?? [])
            {
                await Local.DeleteAsync(sandbox.Id);
            }

            Local.Dispose();
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wfe-contract-git-" + Guid.NewGuid().ToString("N")[..8])).FullName;

        public void Dispose()
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
    }

    /// <summary>Host-side git, for a bare repository the sandbox clones from and pushes to.</summary>
    private static class HostGit
    {
        /// <summary>The uid:gid sandboxed processes run as (LocalSandboxOptions.SandboxUid's default).</summary>
        private static readonly string SandboxOwner = $"{new LocalSandboxOptions().SandboxUid}:{new LocalSandboxOptions().SandboxUid}";

        public static async Task<string> CreateBareRepositoryAsync(string parent)
        {
            var source = System.IO.Path.Combine(parent, "source");
            var bare = System.IO.Path.Combine(parent, "remote.git");
            Directory.CreateDirectory(source);
            await RunAsync("init", "--quiet", "--initial-branch=main", source);
            await File.WriteAllTextAsync(System.IO.Path.Combine(source, "README.md"), "from the host\n");
            await RunAsync("-C", source, "add", "README.md");
            await RunAsync("-C", source, "commit", "--quiet", "-m", "host commit");
            await RunAsync("clone", "--quiet", "--bare", source, bare);
            await RunToolAsync("/usr/bin/chmod", "-R", "a+rX", parent);
            await RunToolAsync("/usr/bin/chown", "-R", SandboxOwner, bare);
            return bare;
        }

        public static Task<string> RunAsync(params string[] arguments) =>
            RunToolAsync("/usr/bin/git", ["-c", "user.name=Host", "-c", "user.email=host@example.com", "-c", "safe.directory=*", .. arguments]);

        private static async Task<string> RunToolAsync(string file, params string[] arguments)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
            }

            return await stdout;
        }
    }
}
