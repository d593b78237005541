using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using WorkflowEngine.Daytona.Rest.Internal;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>Uploads and downloads through the toolbox's multipart bulk routes, against the fake daemon.</summary>
public sealed class FileTransferTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Upload_OneFile_MultipartWithPathPartBeforeFilePart()
    {
        var box = _server.Add("u");
        using var provider = TestProviders.Provider(_server);
        var data = Encoding.UTF8.GetBytes("print('hi')\n");
        using var source = new MemoryStream(data, writable: false);

        var uploaded = await provider.Files.UploadAsync("u", "/workspace/src/main.py", source);

        Assert.True(uploaded.Succeeded, uploaded.Error?.ToString());
        var request = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-upload"));
        Assert.StartsWith("multipart/form-data; boundary=", request.Headers["Content-Type"], StringComparison.Ordinal);
        var parts = FakeToolbox.Parts(request)!;
        Assert.Equal(["files[0].path", "files[0].file"], parts.Select(p => p.Name));
        Assert.Equal("src/main.py", Encoding.UTF8.GetString(parts[0].Content));
        Assert.Equal("main.py", parts[1].FileName);
        Assert.Equal("application/octet-stream", parts[1].ContentType);
        Assert.Equal(data, parts[1].Content);

        // On the wire, too: the path's headers come before the file's.
        var raw = Encoding.UTF8.GetString(request.Bytes);
        var pathAt = raw.IndexOf("name=\"files[0].path\"", StringComparison.Ordinal);
        var fileAt = raw.IndexOf("name=\"files[0].file\"", StringComparison.Ordinal);
        Assert.True(pathAt >= 0 && fileAt > pathAt, raw);

        // The client's usual headers ride along.
        Assert.Equal($"Bearer {TestProviders.Key}", request.Headers["Authorization"]);
        Assert.Equal("sdk-csharp", request.Headers["X-Daytona-Source"]);
        Assert.Equal(DaytonaHttp.SdkVersion, request.Headers["X-Daytona-SDK-Version"]);
        Assert.Equal("org-1", request.Headers["X-Daytona-Organization-ID"]);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(box.Root, "src", "main.py")));
        Assert.True(source.CanRead, "the caller's stream stays open");
    }

    [Fact]
    public async Task Upload_UnseekableStream_SentChunkedAndRoundTrips()
    {
        var box = _server.Add("c");
        using var provider = TestProviders.Provider(_server);
        using var source = new GeneratedStream(3 * 1024 * 1024 + 17, seed: 7);

        var uploaded = await provider.Files.UploadAsync("c", "gen.bin", source);

        Assert.True(uploaded.Succeeded, uploaded.Error?.ToString());
        Assert.Equal(3 * 1024 * 1024 + 17, uploaded.Value.Size);
        var request = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-upload"));
        Assert.Equal("chunked", request.Headers["Transfer-Encoding"]);
        using var expected = new GeneratedStream(3 * 1024 * 1024 + 17, seed: 7);
        Assert.Equal(await SHA256.HashDataAsync(expected), SHA256.HashData(File.ReadAllBytes(Path.Combine(box.Root, "gen.bin"))));
    }

    [Fact]
    public async Task Upload_Server503_SentExactlyOnceAndFailed()
    {
        var box = _server.Add("r");
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-upload", new FakeResponse(503, FakeDaytonaServer.Error(503, "busy", "/"), new Dictionary<string, string> { ["Retry-After"] = "0" }));
        using var provider = TestProviders.Provider(_server);
        using var source = new MemoryStream(new byte[1000]);

        var uploaded = await provider.Files.UploadAsync("r", "x.bin", source);

        Assert.Equal(SandboxErrorKind.Failed, uploaded.Error!.Kind);
        Assert.Contains("busy", uploaded.Error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", uploaded.Error.Message, StringComparison.Ordinal);
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-upload"));
        Assert.False(File.Exists(Path.Combine(box.Root, "x.bin")));
    }

    [Fact]
    public async Task Upload_ParentIsAFile_FailedWithTheDaemonsErrors()
    {
        var box = _server.Add("e");
        await File.WriteAllTextAsync(Path.Combine(box.Root, "taken"), "a file, not a folder");
        using var provider = TestProviders.Provider(_server);

        var written = await provider.Files.WriteAsync("e", "taken/x.txt", "x"u8.ToArray());

        Assert.Equal(SandboxErrorKind.Failed, written.Error!.Kind);
        Assert.Contains("Failed to upload /workspace/taken/x.txt in sandbox e", written.Error.Message, StringComparison.Ordinal);
        Assert.Contains("taken/x.txt: write:", written.Error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(HTTP 400)", written.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_RejectedWithErrorObjects_FailedWithPathAndReason()
    {
        var box = _server.Add("e");
        // Compatible servers (such as wfe serve) list {path, error} objects rather than strings.
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-upload", new FakeResponse(400, """{"errors":[{"path":"big.bin","error":"The content is over the write limit of 100 bytes."}],"files":[]}"""));
        using var provider = TestProviders.Provider(_server);

        var written = await provider.Files.WriteAsync("e", "big.bin", new byte[200]);

        Assert.Equal(SandboxErrorKind.Failed, written.Error!.Kind);
        Assert.Equal("Failed to upload /workspace/big.bin in sandbox e: the toolbox could not write it: big.bin: The content is over the write limit of 100 bytes. (HTTP 400)", written.Error.Message);
    }

    [Fact]
    public async Task Upload_Cancelled_StopsTheTransferAndThrows()
    {
        var box = _server.Add("x");
        using var provider = TestProviders.Provider(_server);
        using var cancel = new CancellationTokenSource();
        // 256 MiB would take a while; cancellation after the first MiB must stop it.
        using var source = new GeneratedStream(256L * 1024 * 1024, seed: 1, onRead: total =>
        {
            if (total > 1024 * 1024)
            {
                cancel.Cancel();
            }
        });
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await provider.Files.UploadAsync("x", "huge.bin", source, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.True(source.Position < 64L * 1024 * 1024, $"read {source.Position} bytes after cancelling");
        Assert.False(File.Exists(Path.Combine(box.Root, "huge.bin")));
    }

    [Fact]
    public async Task ReadAndDownload_FileOverReadLimit_ReadFailsClearlyDownloadWorks()
    {
        var box = _server.Add("l");
        var data = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        await File.WriteAllBytesAsync(Path.Combine(box.Root, "big.bin"), data);
        using var provider = TestProviders.Provider(_server, o => o.MaxReadBytes = 1024 * 1024);

        var read = await provider.Files.ReadAsync("l", "big.bin");
        using var destination = new MemoryStream();
        var downloaded = await provider.Files.DownloadAsync("l", "big.bin", destination);

        Assert.Equal(SandboxErrorKind.LimitExceeded, read.Error!.Kind);
        Assert.Equal($"'/workspace/big.bin' is {data.Length} bytes, over the read limit of {1024 * 1024} bytes; download it instead.", read.Error.Message);
        Assert.True(downloaded.Succeeded, downloaded.Error?.ToString());
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(destination.ToArray()));
    }

    [Fact]
    public async Task Read_OverLimitFromLegacyDaemonWithoutContentLength_LimitExceeded()
    {
        var box = _server.Add("l");
        _server.LegacyBulkDownload = true;
        await File.WriteAllBytesAsync(Path.Combine(box.Root, "big.bin"), new byte[300 * 1024]);
        using var provider = TestProviders.Provider(_server, o => o.MaxReadBytes = 100 * 1024);

        var read = await provider.Files.ReadAsync("l", "big.bin");

        Assert.Equal(SandboxErrorKind.LimitExceeded, read.Error!.Kind);
        Assert.Equal($"'/workspace/big.bin' is over the read limit of {100 * 1024} bytes; download it instead.", read.Error.Message);
    }

    [Fact]
    public async Task Download_MissingFileOnLegacyDaemon_NotFoundFromTextErrorPart()
    {
        _server.Add("m");
        _server.LegacyBulkDownload = true;
        using var provider = TestProviders.Provider(_server);
        using var destination = new MemoryStream();

        var downloaded = await provider.Files.DownloadAsync("m", "gone.txt", destination);

        Assert.Equal(SandboxErrorKind.NotFound, downloaded.Error!.Kind);
        Assert.Contains("file not found or invalid: gone.txt", downloaded.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadThenWrite_SmallFileOnLegacyDaemon_RoundTrips()
    {
        _server.Add("s");
        _server.LegacyBulkDownload = true;
        using var provider = TestProviders.Provider(_server);

        await provider.Files.WriteAsync("s", "a.txt", "hello"u8.ToArray());
        var read = await provider.Files.ReadAsync("s", "a.txt");

        Assert.True(read.Succeeded, read.Error?.ToString());
        Assert.Equal("hello"u8.ToArray(), read.Value);
    }

    [Fact]
    public async Task Read_Folder_InvalidArgument()
    {
        _server.Add("d");
        using var provider = TestProviders.Provider(_server);
        await provider.Files.CreateDirectoryAsync("d", "folder");

        var read = await provider.Files.ReadAsync("d", "folder");

        Assert.Equal(SandboxErrorKind.InvalidArgument, read.Error!.Kind);
        Assert.Contains("directory", read.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_PartShorterThanItsContentLength_FailedNotTruncated()
    {
        var box = _server.Add("t");
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-download", Multipart(async output =>
        {
            // What a daemon does when reading the file fails midway: the part stops, the closing boundary follows.
            await FakeToolbox.WritePartHeadAsync(output, "file", "t.bin", "application/octet-stream", 100);
            await output.WriteAsync(new byte[50]);
            await output.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{FakeToolbox.DownloadBoundary}--\r\n"));
        }));
        using var provider = TestProviders.Provider(_server);
        using var destination = new MemoryStream();

        var downloaded = await provider.Files.DownloadAsync("t", "t.bin", destination);

        Assert.Equal(SandboxErrorKind.Failed, downloaded.Error!.Kind);
        Assert.Contains("sent 50 of 100 bytes", downloaded.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_BodyEndsBeforeClosingBoundary_FailedAsCutOff()
    {
        var box = _server.Add("t");
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-download", Multipart(async output =>
        {
            await FakeToolbox.WritePartHeadAsync(output, "file", "t.bin", "application/octet-stream", null);
            await output.WriteAsync(new byte[5000]);
        }));
        using var provider = TestProviders.Provider(_server);
        using var destination = new MemoryStream();

        var downloaded = await provider.Files.DownloadAsync("t", "t.bin", destination);

        Assert.Equal(SandboxErrorKind.Failed, downloaded.Error!.Kind);
        Assert.Contains("cut off", downloaded.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_ErrorPartAfterFilePart_Failed()
    {
        var box = _server.Add("t");
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-download", Multipart(async output =>
        {
            // Daemons before v0.205 add an error part for the same path when streaming breaks.
            await FakeToolbox.WritePartHeadAsync(output, "file", "t.bin", "application/octet-stream", null);
            await output.WriteAsync(new byte[10]);
            await output.WriteAsync("\r\n"u8.ToArray());
            await FakeToolbox.WritePartHeadAsync(output, "error", "t.bin", "text/plain; charset=utf-8", null);
            await output.WriteAsync(Encoding.UTF8.GetBytes($"error streaming file: read failed\r\n--{FakeToolbox.DownloadBoundary}--\r\n"));
        }));
        using var provider = TestProviders.Provider(_server);
        using var destination = new MemoryStream();

        var downloaded = await provider.Files.DownloadAsync("t", "t.bin", destination);

        Assert.Equal(SandboxErrorKind.Failed, downloaded.Error!.Kind);
        Assert.Contains("error streaming file: read failed", downloaded.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FILE_ACCESS_DENIED", 403, SandboxErrorKind.Failed)]
    [InlineData("INVALID_FILE_PATH", 400, SandboxErrorKind.InvalidArgument)]
    [InlineData("FILE_READ_FAILED", 500, SandboxErrorKind.Failed)]
    [InlineData("FILE_NOT_FOUND", 404, SandboxErrorKind.NotFound)]
    public async Task Download_ErrorPartCode_MapsToKind(string code, int status, SandboxErrorKind kind)
    {
        var box = _server.Add("t");
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-download", Multipart(async output =>
        {
            await FakeToolbox.WritePartHeadAsync(output, "error", "t.bin", "application/json; charset=utf-8", null);
            var json = $$"""{"statusCode":{{status}},"message":"it went wrong: t.bin","code":"{{code}}","timestamp":"2026-01-01T12:00:00Z","path":"t.bin","method":"POST"}""";
            await output.WriteAsync(Encoding.UTF8.GetBytes($"{json}\r\n--{FakeToolbox.DownloadBoundary}--\r\n"));
        }));
        using var provider = TestProviders.Provider(_server);
        using var destination = new MemoryStream();

        var downloaded = await provider.Files.DownloadAsync("t", "t.bin", destination);

        Assert.Equal(kind, downloaded.Error!.Kind);
        Assert.Equal($"Failed to download /workspace/t.bin in sandbox t: it went wrong: t.bin ({code})", downloaded.Error.Message);
    }

    [Fact]
    public async Task Download_ToolboxAnswersJsonError_MappedLikeOtherCalls()
    {
        var box = _server.Add("t");
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-download", new FakeResponse(401, FakeDaytonaServer.Error(401, "bad token", "/")));
        using var provider = TestProviders.Provider(_server);
        using var destination = new MemoryStream();

        var downloaded = await provider.Files.DownloadAsync("t", "t.bin", destination);

        Assert.Equal(SandboxErrorKind.Authentication, downloaded.Error!.Kind);
        Assert.Contains("bad token", downloaded.Error.Message, StringComparison.Ordinal);
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/files/bulk-download"));
    }

    [Fact]
    public async Task Download_Cancelled_StopsTheTransferAndThrows()
    {
        var box = _server.Add("x");
        await File.WriteAllBytesAsync(Path.Combine(box.Root, "big.bin"), new byte[8 * 1024 * 1024]);
        using var provider = TestProviders.Provider(_server);
        using var cancel = new CancellationTokenSource();
        using var destination = new CallbackWriteStream(total =>
        {
            if (total > 0)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await provider.Files.DownloadAsync("x", "big.bin", destination, cancel.Token));

        Assert.True(destination.Length < 8 * 1024 * 1024, $"wrote {destination.Length} bytes");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Download_SlowerThanTransferTimeout_TimeoutResult(bool headersFirst)
    {
        var box = _server.Add("slow");
        _server.Script("POST", $"/toolbox/{box.Id}/files/bulk-download", Multipart(async output =>
        {
            // Stalls either before any answer (the listener sends headers with the first write) or inside the body.
            if (headersFirst)
            {
                await FakeToolbox.WritePartHeadAsync(output, "file", "s.bin", "application/octet-stream", 10);
                await output.FlushAsync();
            }

            await Task.Delay(TimeSpan.FromSeconds(10));
        }));
        using var provider = TestProviders.Provider(_server, o => o.FileTransferTimeout = TimeSpan.FromSeconds(1));
        using var destination = new MemoryStream();
        var clock = Stopwatch.StartNew();

        var downloaded = await provider.Files.DownloadAsync("slow", "s.bin", destination);

        Assert.Equal(SandboxErrorKind.Timeout, downloaded.Error!.Kind);
        Assert.Contains("FileTransferTimeout", downloaded.Error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    private static FakeResponse Multipart(Func<Stream, Task> writer) => new(200)
    {
        ContentType = $"multipart/form-data; boundary={FakeToolbox.DownloadBoundary}",
        Writer = writer,
    };

    /// <summary>A read-only, unseekable stream of <c>length</c> pseudo-random bytes, generated as read.</summary>
    private sealed class GeneratedStream(long length, int seed, Action<long>? onRead = null) : Stream
    {
        private readonly Random _random = new(seed);
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            _random.NextBytes(buffer[..n]);
            _position += n;
            onRead?.Invoke(_position);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A write-only sink that counts bytes and reports each write.</summary>
    private sealed class CallbackWriteStream(Action<long> onWrite) : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _length += count;
            onWrite(_length);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _length += buffer.Length;
            onWrite(_length);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
