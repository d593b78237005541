using System.Net.Sockets;
using System.Text;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

/// <summary>A client that leaves during a create must not leave a sandbox nobody knows about.</summary>
public sealed class CreateAbortTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "wfe-abort-test-" + Guid.NewGuid().ToString("N")[..8]);
    private LocalSandboxProvider _local = null!;
    private SlowCreates _slow = null!;
    private DaytonaServer _server = null!;

    public async Task InitializeAsync()
    {
        _local = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = _data, WarmPool = false });
        _slow = new SlowCreates(_local, TimeSpan.FromMilliseconds(1500));
        _server = await DaytonaServer.StartAsync(_slow, new DaytonaServerOptions { Port = 0, ApiKey = "k" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _local.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Create_ClientDisconnectsBeforeTheAnswer_SandboxIsCreatedThenDeleted()
    {
        const string Body = "{\"name\":\"abandoned\"}";
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(_server.BaseUrl.Host, _server.BaseUrl.Port);
            var request = $"POST /api/sandbox HTTP/1.1\r\nHost: {_server.BaseUrl.Authority}\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\n\r\n{Body}";
            await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
            // Leave only once the server is inside the create, so the request was surely taken.
            await _slow.Started.WaitAsync(TimeSpan.FromSeconds(20));
        }

        // The create finishes on its own (it is not cancelled half-way), then the server deletes what nobody received.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (_slow.Completed == 0 || (await _local.ListAsync()).Value!.Count > 0))
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, _slow.Completed);
        Assert.Empty((await _local.ListAsync()).Value!);
        Assert.False((await _local.GetAsync("abandoned")).Succeeded);
    }

    /// <summary>The local provider with creates that take a while, so a client can leave during one.</summary>
    private sealed class SlowCreates(ISandboxProvider inner, TimeSpan delay) : ISandboxProvider
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _completed;

        public Task Started => _started.Task;

        public int Completed => Volatile.Read(ref _completed);

        public string Name => inner.Name;

        public ISandboxProcess Process => inner.Process;

        public ISandboxFileSystem Files => inner.Files;

        public ISandboxGit Git => inner.Git;

        public async ValueTask<SandboxResult<SandboxInfo>> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
        {
            _started.TrySetResult();
            await Task.Delay(delay, cancellationToken);
            var created = await inner.CreateAsync(spec, cancellationToken);
            Interlocked.Increment(ref _completed);
            return created;
        }

        public ValueTask<SandboxResult<SandboxInfo>> GetAsync(string sandbox, CancellationToken cancellationToken = default) => inner.GetAsync(sandbox, cancellationToken);

        public ValueTask<SandboxResult<IReadOnlyList<SandboxInfo>>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, CancellationToken cancellationToken = default) => inner.DeleteAsync(sandbox, cancellationToken);

        public ValueTask<SandboxResult<SandboxInfo>> StartAsync(string sandbox, CancellationToken cancellationToken = default) => inner.StartAsync(sandbox, cancellationToken);

        public ValueTask<SandboxResult<SandboxInfo>> StopAsync(string sandbox, CancellationToken cancellationToken = default) => inner.StopAsync(sandbox, cancellationToken);
    }
}
