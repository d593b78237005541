using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>One request as the fake server saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, NameValueCollection Query, NameValueCollection Headers, string Body)
{
    /// <summary>The raw body (multipart uploads are not kept as text).</summary>
    public byte[] Bytes { get; init; } = [];

    public JsonNode? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>A scripted answer.</summary>
internal sealed record FakeResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A file sent as <c>application/octet-stream</c> instead of <see cref="Body"/>.</summary>
    public string? FilePath { get; init; }

    /// <summary>Writes the body as it goes (chunked, with <see cref="ContentType"/>) instead of <see cref="Body"/>: multipart downloads.</summary>
    public Func<Stream, Task>? Writer { get; init; }

    /// <summary>The content type of a <see cref="Writer"/> body.</summary>
    public string? ContentType { get; init; }
}

/// <summary>
/// A small Daytona API and toolbox on 127.0.0.1 (a free port), serving JSON shaped like the v0.205.1 spec:
/// sandboxes in memory, cursor paging, state sequences advanced by each GET, and a toolbox whose execute runs
/// the command with /bin/sh so quoting can be checked end to end. Scripted answers override the defaults.
/// </summary>
internal sealed class FakeDaytonaServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Sandbox> _sandboxes = new();
    private readonly List<(string Method, string Path, Queue<FakeResponse> Answers)> _scripts = [];
    private int _next;

    private static readonly Lock StartLock = new();

    public FakeDaytonaServer()
    {
        // Servers start one at a time so that two never probe and claim the same free port.
        using var scope = StartLock.EnterScope();
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string ApiUrl => $"http://127.0.0.1:{Port}/api";

    public string ToolboxUrl => $"http://127.0.0.1:{Port}/toolbox";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Sandboxes per list page.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>The states a new sandbox goes through, one per GET after the create answer (which says <c>creating</c>).</summary>
    public string[] CreateStates { get; set; } = ["started"];

    /// <summary>The <c>errorReason</c> given with an <c>error</c> state.</summary>
    public string ErrorReason { get; set; } = "no capacity in region us";

    /// <summary>Awaited after a request is recorded and before it is handled: holds it (a create then happens only once this completes).</summary>
    public Func<RecordedRequest, Task>? Gate { get; set; }

    /// <summary>Answer <c>bulk-download</c> as daemons before v0.205 do: plain-text error parts, no <c>Content-Length</c> on file parts.</summary>
    public bool LegacyBulkDownload { get; set; }

    /// <summary>Answers the next requests to <paramref name="method"/> <paramref name="path"/> with these, in order, before the defaults.</summary>
    public void Script(string method, string path, params FakeResponse[] answers)
    {
        lock (_scripts)
        {
            _scripts.Add((method, path, new Queue<FakeResponse>(answers)));
        }
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    /// <summary>Adds a sandbox directly.</summary>
    public Sandbox Add(string name, string state = "started", params string[] pending)
    {
        var id = $"sb-{Interlocked.Increment(ref _next):D4}";
        var sandbox = new Sandbox { Id = id, Name = name, State = state };
        foreach (var s in pending)
        {
            sandbox.Pending.Enqueue(s);
        }

        _sandboxes[id] = sandbox;
        return sandbox;
    }

    public Sandbox? Find(string idOrName) =>
        _sandboxes.TryGetValue(idOrName, out var byId) ? byId : _sandboxes.Values.FirstOrDefault(s => s.Name == idOrName);

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var sandbox in _sandboxes.Values)
        {
            sandbox.DeleteRoot();
        }

        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or HttpListenerException)
        {
            // The managed HttpListener can fail to unregister its port when another listener raced for it; nothing to clean up then.
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            var multipart = context.Request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;
            var body = multipart ? "" : Encoding.UTF8.GetString(bytes);
            var path = context.Request.Url!.AbsolutePath;
            var query = System.Web.HttpUtility.ParseQueryString(context.Request.Url!.Query, Encoding.UTF8);
            var recorded = new RecordedRequest(context.Request.HttpMethod, path, query, context.Request.Headers, body) { Bytes = bytes };
            Requests.Enqueue(recorded);
            if (Gate is { } gate)
            {
                await gate(recorded);
            }

            var answer = Scripted(recorded) ?? Default(recorded);
            await WriteAsync(context.Response, answer);
        }
        catch (Exception ex)
        {
            try
            {
                await WriteAsync(context.Response, new FakeResponse(500, Error(500, "fake server: " + ex.Message, "/")));
            }
            catch (Exception)
            {
                // The client went away.
            }
        }
    }

    private FakeResponse? Scripted(RecordedRequest request)
    {
        lock (_scripts)
        {
            foreach (var (method, path, answers) in _scripts)
            {
                if (method == request.Method && path == request.Path && answers.Count > 0)
                {
                    return answers.Dequeue();
                }
            }
        }

        return null;
    }

    private FakeResponse Default(RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        if (segments is ["api", "sandbox"])
        {
            return request.Method switch
            {
                "POST" => Create(request),
                "GET" => List(request),
                _ => new FakeResponse(405, Error(405, "method not allowed", request.Path)),
            };
        }

        if (segments is ["api", "sandbox", var idOrName, ..])
        {
            var sandbox = Find(idOrName);
            if (sandbox is null)
            {
                return new FakeResponse(404, Error(404, $"Sandbox with ID or name {idOrName} not found", request.Path));
            }

            return (request.Method, segments.Length > 3 ? segments[3] : null) switch
            {
                ("GET", null) => Ok(sandbox.Advance()),
                ("DELETE", null) => Ok(sandbox.Set("destroying", "destroyed")),
                ("POST", "start") => Ok(sandbox.Set("starting", "started")),
                ("POST", "stop") => Ok(sandbox.Set("stopping", "stopped")),
                _ => new FakeResponse(404, Error(404, "no route", request.Path)),
            };
        }

        if (segments is ["toolbox", var id, "process", "execute"] && request.Method == "POST")
        {
            if (Find(id) is null)
            {
                return new FakeResponse(404, Error(404, "sandbox not found", request.Path));
            }

            return Execute(request.Json!);
        }

        if (segments is ["toolbox", var boxId, "files" or "git", ..])
        {
            if (Find(boxId) is not { } box)
            {
                return new FakeResponse(404, Error(404, "sandbox not found", request.Path));
            }

            var route = string.Join('/', segments[2..]);
            return route.StartsWith("files", StringComparison.Ordinal) ? FakeToolbox.Files(box, route, request, LegacyBulkDownload) : FakeToolbox.Git(box, route, request);
        }

        return new FakeResponse(404, Error(404, "no route", request.Path));
    }

    private FakeResponse Create(RecordedRequest request)
    {
        var json = request.Json!.AsObject();
        var sandbox = Add(json["name"]?.GetValue<string>() ?? "", "creating", CreateStates);
        if (sandbox.Name.Length == 0)
        {
            sandbox.Name = sandbox.Id;
        }

        sandbox.Labels = json["labels"]?.Deserialize<Dictionary<string, string>>() ?? [];
        sandbox.Env = json["env"]?.Deserialize<Dictionary<string, string>>() ?? [];
        sandbox.AutoDeleteInterval = json["autoDeleteInterval"]?.GetValue<int>() ?? -1;
        sandbox.ErrorReason = ErrorReason;
        return Ok(sandbox);
    }

    private FakeResponse List(RecordedRequest request)
    {
        var all = _sandboxes.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var start = int.TryParse(request.Query["cursor"], out var cursor) ? cursor : 0;
        var page = all.Skip(start).Take(PageSize).ToList();
        var next = start + page.Count < all.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        var body = new JsonObject
        {
            ["items"] = new JsonArray(page.Select(s => (JsonNode)s.ToJson(ToolboxUrl, listItem: true)).ToArray()),
            ["nextCursor"] = next,
        };
        return new FakeResponse(200, body.ToJsonString());
    }

    private static FakeResponse Execute(JsonNode request)
    {
        var command = request["command"]!.GetValue<string>();
        var cwd = request["cwd"]?.GetValue<string>();
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = cwd is not null && Directory.Exists(cwd) ? cwd : Path.GetTempPath(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (key, value) in request["envs"]?.Deserialize<Dictionary<string, string>>() ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var body = new JsonObject { ["exitCode"] = process.ExitCode, ["result"] = stdout.Result + stderr.Result };
        return new FakeResponse(200, body.ToJsonString());
    }

    private FakeResponse Ok(Sandbox sandbox) => new(200, sandbox.ToJson(ToolboxUrl, listItem: false).ToJsonString());

    public static string Error(int status, string message, string path) => new JsonObject
    {
        ["statusCode"] = status,
        ["message"] = message,
        ["path"] = path,
        ["timestamp"] = "2026-01-01T12:00:00Z",
        ["error"] = ((HttpStatusCode)status).ToString(),
    }.ToJsonString();

    private static async Task WriteAsync(HttpListenerResponse response, FakeResponse answer)
    {
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            response.AddHeader(name, value);
        }

        if (answer.Writer is { } writer)
        {
            response.ContentType = answer.ContentType ?? "application/octet-stream";
            response.SendChunked = true;
            await writer(response.OutputStream);
            response.Close();
            return;
        }

        if (answer.FilePath is { } file)
        {
            await using var stream = File.OpenRead(file);
            response.ContentType = "application/octet-stream";
            response.ContentLength64 = stream.Length;
            await stream.CopyToAsync(response.OutputStream);
            response.Close();
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(answer.Body ?? "");
        if (bytes.Length > 0)
        {
            response.ContentType = "application/json";
        }

        response.ContentLength64 = bytes.Length;
        if (bytes.Length > 0)
        {
            await response.OutputStream.WriteAsync(bytes);
        }

        response.Close();
    }

    /// <summary>A sandbox of the fake server.</summary>
    internal sealed class Sandbox
    {
        public required string Id { get; init; }
        public required string Name { get; set; }
        public required string State { get; set; }
        public Queue<string> Pending { get; } = new();
        public Dictionary<string, string> Labels { get; set; } = new() { ["code-toolbox-language"] = "python" };
        public Dictionary<string, string> Env { get; set; } = [];
        public int AutoDeleteInterval { get; set; } = -1;
        public string? ErrorReason { get; set; }

        private readonly Lazy<string> _root = new(() => Directory.CreateTempSubdirectory("fake-daytona-").FullName);

        /// <summary>The host folder that stands for the sandbox's working directory.</summary>
        public string Root => _root.Value;

        public void DeleteRoot()
        {
            if (_root.IsValueCreated)
            {
                try
                {
                    Directory.Delete(_root.Value, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        public Sandbox Advance()
        {
            lock (Pending)
            {
                if (Pending.Count > 0)
                {
                    State = Pending.Dequeue();
                }
            }

            return this;
        }

        public Sandbox Set(string now, params string[] later)
        {
            lock (Pending)
            {
                State = now;
                Pending.Clear();
                foreach (var s in later)
                {
                    Pending.Enqueue(s);
                }
            }

            return this;
        }

        public JsonObject ToJson(string toolboxUrl, bool listItem)
        {
            var json = new JsonObject
            {
                ["id"] = Id,
                ["organizationId"] = "org-1",
                ["name"] = Name,
                ["user"] = "daytona",
                ["labels"] = JsonSerializer.SerializeToNode(Labels),
                ["public"] = false,
                ["networkBlockAll"] = false,
                ["target"] = "us",
                ["cpu"] = 2,
                ["gpu"] = 0,
                ["memory"] = 4,
                ["disk"] = 10,
                ["state"] = State,
                ["desiredState"] = "started",
                ["errorReason"] = State == "error" ? ErrorReason : null,
                ["recoverable"] = false,
                ["autoStopInterval"] = 15,
                ["autoDeleteInterval"] = AutoDeleteInterval,
                ["createdAt"] = "2026-01-01T10:00:00.000Z",
                ["updatedAt"] = "2026-01-01T10:05:00.000Z",
                ["lastActivityAt"] = "2026-01-01T10:06:00.000Z",
                ["sandboxClass"] = "container",
                ["someFutureField"] = new JsonObject { ["x"] = 1 },
                ["toolboxProxyUrl"] = toolboxUrl,
            };
            if (!listItem)
            {
                json["env"] = JsonSerializer.SerializeToNode(Env);
                json["volumes"] = new JsonArray();
            }

            return json;
        }
    }
}
