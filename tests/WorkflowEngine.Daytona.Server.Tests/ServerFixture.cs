using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WorkflowEngine.Daytona.Local;

namespace WorkflowEngine.Daytona.Server.Tests;

/// <summary>
/// One real local provider (bubblewrap sandboxes in a temporary data folder) and one Daytona server over it, shared by
/// the tests of a class. Disposal deletes every sandbox, stops the server and removes the data folder.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string ApiKey = "test-key";

    private readonly SemaphoreSlim _sharedGate = new(1, 1);
    private readonly List<HttpClient> _clients = [];
    private string? _shared;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "wfe-server-test-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalSandboxProvider Provider { get; private set; } = null!;

    public DaytonaServer Server { get; private set; } = null!;

    /// <summary>A client with the right bearer token, based at the server root (use <c>api/…</c> and <c>toolbox/…</c>).</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = new LocalSandboxProvider(new LocalSandboxOptions
        {
            DataDirectory = DataDirectory,
            WarmPool = false,
            CommandTimeout = TimeSpan.FromSeconds(30),

            // Host repositories of the git tests live in the temporary folder.
            GitRoots = [Path.GetTempPath()],
        });
        Server = await DaytonaServer.StartAsync(Provider, new DaytonaServerOptions { Port = 0, ApiKey = ApiKey });
        Client = NewClient(ApiKey);
    }

    /// <summary>A client for <paramref name="baseUrl"/> (default: the fixture's server) sending <paramref name="apiKey"/> as bearer token, if any.</summary>
    public HttpClient NewClient(string? apiKey, Uri? baseUrl = null)
    {
        var client = new HttpClient { BaseAddress = baseUrl ?? Server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>The host folder of a sandbox (it must disappear when the sandbox is deleted).</summary>
    public string SandboxFolder(string id) => Path.Combine(DataDirectory, "sandboxes", id);

    /// <summary>Creates a sandbox through the API and returns its JSON; fails the test unless the server answers 200.</summary>
    public async Task<JsonElement> CreateSandboxAsync(object? body = null, HttpClient? client = null)
    {
        using var response = await (client ?? Client).PostAsJsonAsync("api/sandbox", body ?? new { });
        return await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>A sandbox created once and shared by the class's tests (each uses its own folders in it).</summary>
    public async Task<string> SharedSandboxAsync()
    {
        await _sharedGate.WaitAsync();
        try
        {
            _shared ??= (await CreateSandboxAsync()).GetProperty("id").GetString()!;
            return _shared;
        }
        finally
        {
            _sharedGate.Release();
        }
    }

    /// <summary>A toolbox route of a sandbox, relative to the server root, e.g. <c>toolbox/{id}/process/execute</c>.</summary>
    public static string Toolbox(string sandboxId, string route) => $"toolbox/{sandboxId}/{route}";

    /// <summary>Runs a command through <c>/process/execute</c>; fails the test unless the server answers 200.</summary>
    public async Task<(int ExitCode, string Result)> ExecAsync(string sandboxId, string command, string? cwd = null)
    {
        using var response = await Client.PostAsJsonAsync(Toolbox(sandboxId, "process/execute"), new { command, cwd });
        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        return (body.GetProperty("exitCode").GetInt32(), body.GetProperty("result").GetString()!);
    }

    /// <summary>Uploads bytes with a raw <c>upload-v2</c> body; fails the test unless the server answers 200.</summary>
    public async Task<JsonElement> UploadAsync(string sandboxId, string path, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Client.PostAsync(Toolbox(sandboxId, "files/upload-v2?path=" + Uri.EscapeDataString(path)), body);
        return await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Downloads a file's bytes; fails the test unless the server answers 200.</summary>
    public async Task<byte[]> DownloadAsync(string sandboxId, string path)
    {
        using var response = await Client.GetAsync(Toolbox(sandboxId, "files/download?path=" + Uri.EscapeDataString(path)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"download {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    public async Task DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Provider is not null)
        {
            foreach (var sandbox in (await Provider.ListAsync()).Value ?? [])
            {
                await Provider.DeleteAsync(sandbox.Id);
            }

            Provider.Dispose();
        }

        _sharedGate.Dispose();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
