using System.Security.Cryptography;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

public sealed class FileSystemTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task WriteThenRead_BinaryBytes_RoundTrip()
    {
        var box = _server.Add("f");
        using var provider = TestProviders.Provider(_server);
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0, 13, 10, 0xFF, 0xFE }).ToArray();

        var written = await provider.Files.WriteAsync("f", "/workspace/dir/bin.dat", bytes);
        var read = await provider.Files.ReadAsync("f", "dir/bin.dat");

        Assert.True(written.Succeeded, written.Error?.ToString());
        Assert.Equal("/workspace/dir/bin.dat", written.Value.Path);
        Assert.Equal("bin.dat", written.Value.Name);
        Assert.Equal(bytes.Length, written.Value.Size);
        Assert.False(written.Value.IsDirectory);
        Assert.True(read.Succeeded, read.Error?.ToString());
        Assert.Equal(bytes, read.Value);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(box.Root, "dir", "bin.dat")));
        var upload = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-upload"));
        Assert.StartsWith("multipart/form-data", upload.Headers["Content-Type"]);
        var parts = FakeToolbox.Parts(upload)!;
        Assert.Equal("dir/bin.dat", System.Text.Encoding.UTF8.GetString(parts[0].Content));
        Assert.Equal(bytes, parts[1].Content);
        var download = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-download"));
        Assert.Equal("""{"paths":["dir/bin.dat"]}""", download.Body);
        Assert.Empty(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/upload-v2"));
        Assert.Empty(_server.RequestsTo("GET", $"/toolbox/{box.Id}/files/download"));
    }

    [Fact]
    public async Task ListInfoMkdirMoveDelete_Work()
    {
        var box = _server.Add("f");
        using var provider = TestProviders.Provider(_server);

        var folder = await provider.Files.CreateDirectoryAsync("f", "a/b");
        await provider.Files.WriteAsync("f", "a/one.txt", "1"u8.ToArray());
        var listed = await provider.Files.ListAsync("f", "/workspace/a");
        var info = await provider.Files.InfoAsync("f", "a/one.txt");
        var moved = await provider.Files.MoveAsync("f", "a/one.txt", "/workspace/a/b/two.txt");
        var conflict = await provider.Files.MoveAsync("f", "a/b/two.txt", "a/b/two.txt");
        var missing = await provider.Files.InfoAsync("f", "a/one.txt");
        var deleted = await provider.Files.DeleteAsync("f", "a");
        var root = await provider.Files.ListAsync("f", "/workspace");

        Assert.True(folder.Succeeded, folder.Error?.ToString());
        Assert.True(folder.Value.IsDirectory);
        Assert.Equal("/workspace/a/b", folder.Value.Path);
        Assert.Equal("755", folder.Value.Mode);
        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.Equal(["b", "one.txt"], listed.Value.Select(e => e.Name));
        Assert.Equal(["/workspace/a/b", "/workspace/a/one.txt"], listed.Value.Select(e => e.Path));
        Assert.Equal(1, info.Value!.Size);
        Assert.True(info.Value.ModifiedAt > DateTimeOffset.UtcNow.AddHours(-1));
        Assert.True(moved.Succeeded, moved.Error?.ToString());
        Assert.Equal("/workspace/a/b/two.txt", moved.Value.Path);
        Assert.Equal(SandboxErrorKind.Conflict, conflict.Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, missing.Error!.Kind);
        Assert.True(deleted.Succeeded, deleted.Error?.ToString());
        Assert.False(Directory.Exists(Path.Combine(box.Root, "a")));
        Assert.Empty(root.Value!);
        var delete = Assert.Single(_server.RequestsTo("DELETE", $"/toolbox/{box.Id}/files"));
        Assert.Equal("true", delete.Query["recursive"]);
    }

    [Fact]
    public async Task UploadThenDownload_FiveMegabyteStream_RoundTripsBySha256()
    {
        var box = _server.Add("big");
        using var provider = TestProviders.Provider(_server);
        var data = new byte[5 * 1024 * 1024];
        new Random(42).NextBytes(data);
        using var source = new MemoryStream(data, writable: false);

        var uploaded = await provider.Files.UploadAsync("big", "big/blob.bin", source);
        using var destination = new MemoryStream();
        var downloaded = await provider.Files.DownloadAsync("big", "/workspace/big/blob.bin", destination);

        Assert.True(uploaded.Succeeded, uploaded.Error?.ToString());
        Assert.Equal(data.Length, uploaded.Value.Size);
        Assert.True(source.CanRead, "the caller's stream stays open");
        Assert.True(downloaded.Succeeded, downloaded.Error?.ToString());
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(destination.ToArray()));
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(File.ReadAllBytes(Path.Combine(box.Root, "big", "blob.bin"))));
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-upload"));
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-download"));
    }

    [Fact]
    public async Task Download_MissingFile_NotFoundFromErrorPart()
    {
        var box = _server.Add("m");
        using var provider = TestProviders.Provider(_server);
        using var destination = new MemoryStream();

        var downloaded = await provider.Files.DownloadAsync("m", "nope.bin", destination);

        Assert.Equal(SandboxErrorKind.NotFound, downloaded.Error!.Kind);
        Assert.Contains("/workspace/nope.bin", downloaded.Error.Message, StringComparison.Ordinal);
        Assert.Contains("FILE_NOT_FOUND", downloaded.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, destination.Length);
        // The error came inside the 200 multipart answer, not from another call.
        Assert.DoesNotContain(_server.Requests, r => r.Path.Contains("/files/info", StringComparison.Ordinal));
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-download"));
    }

    [Fact]
    public async Task Read_OverLimit_LimitExceeded()
    {
        _server.Add("l");
        using var provider = TestProviders.Provider(_server, o => o.MaxReadBytes = 10);
        await provider.Files.WriteAsync("l", "x.txt", new byte[11]);

        var read = await provider.Files.ReadAsync("l", "x.txt");

        Assert.Equal(SandboxErrorKind.LimitExceeded, read.Error!.Kind);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/workspace/../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/etc/passwd")]
    public async Task AnyCall_PathOutsideWorkspace_InvalidArgumentWithoutRequest(string path)
    {
        _server.Add("p");
        using var provider = TestProviders.Provider(_server);
        using var stream = new MemoryStream();

        var results = new SandboxError?[]
        {
            (await provider.Files.ReadAsync("p", path)).Error,
            (await provider.Files.WriteAsync("p", path, new byte[1])).Error,
            (await provider.Files.UploadAsync("p", path, stream)).Error,
            (await provider.Files.DownloadAsync("p", path, stream)).Error,
            (await provider.Files.ListAsync("p", path)).Error,
            (await provider.Files.InfoAsync("p", path)).Error,
            (await provider.Files.DeleteAsync("p", path)).Error,
            (await provider.Files.CreateDirectoryAsync("p", path)).Error,
            (await provider.Files.MoveAsync("p", "ok.txt", path)).Error,
            (await provider.Git.StatusAsync("p", path)).Error,
        };

        Assert.All(results, error => Assert.Equal(SandboxErrorKind.InvalidArgument, error!.Kind));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Info_CancelledToken_Throws()
    {
        _server.Add("c");
        using var provider = TestProviders.Provider(_server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await provider.Files.InfoAsync("c", "a.txt", cancelled.Token));
    }

    [Fact]
    public async Task Info_Transient503_Retried_UploadNot()
    {
        var box = _server.Add("r");
        _server.Script("GET", $"/toolbox/{box.Id}/files/info", new FakeResponse(503, FakeDaytonaServer.Error(503, "busy", "/")));
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-upload", new FakeResponse(503, FakeDaytonaServer.Error(503, "busy", "/")));
        using var provider = TestProviders.Provider(_server);
        await provider.Files.CreateDirectoryAsync("r", "d");

        var info = await provider.Files.InfoAsync("r", "d");
        var upload = await provider.Files.WriteAsync("r", "d/x", new byte[1]);

        Assert.True(info.Succeeded, info.Error?.ToString());
        Assert.Equal(SandboxErrorKind.Failed, upload.Error!.Kind);
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-upload"));
    }
}
