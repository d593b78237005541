using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

public sealed class LocalSandboxFileSystemTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private ISandboxFileSystem Files => fixture.Provider.Files;

    [Fact]
    public async Task WriteAsync_AllByteValues_ReadBackIdentical()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var written = await Files.WriteAsync(sandbox.Id, "data/all.bin", bytes);
        var read = await Files.ReadAsync(sandbox.Id, "/workspace/data/all.bin");
        var inside = await fixture.BashAsync(sandbox.Id, "sha256sum data/all.bin | cut -d' ' -f1");

        Assert.True(written.Succeeded, written.Error?.ToString());
        Assert.Equal("/workspace/data/all.bin", written.Value!.Path);
        Assert.Equal(256, written.Value.Size);
        Assert.True(read.Succeeded, read.Error?.ToString());
        Assert.Equal(bytes, read.Value);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), inside.Stdout.Trim());
    }

    [Fact]
    public async Task WriteAsync_ExistingFile_IsReplaced()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        await Files.WriteAsync(sandbox.Id, "f.txt", Encoding.UTF8.GetBytes("a much longer first version"));
        await Files.WriteAsync(sandbox.Id, "f.txt", Encoding.UTF8.GetBytes("short"));
        var read = await Files.ReadAsync(sandbox.Id, "f.txt");

        Assert.Equal("short", Encoding.UTF8.GetString(read.Value!));
    }

    [Fact]
    public async Task ReadAsync_FileWrittenInSandbox_ReturnsContent()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "mkdir -p out && printf 'from inside' > out/result.txt");

        var read = await Files.ReadAsync(sandbox.Id, "out/result.txt");

        Assert.Equal("from inside", Encoding.UTF8.GetString(read.Value!));
    }

    [Fact]
    public async Task WriteAsync_FromHost_SandboxCanModifyFile()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "deep/nested/notes.txt", Encoding.UTF8.GetBytes("host\n"));

        var result = await fixture.BashAsync(sandbox.Id, "echo sandbox >> deep/nested/notes.txt && touch deep/nested/new && stat -c '%u %g' deep deep/nested deep/nested/notes.txt");
        var read = await Files.ReadAsync(sandbox.Id, "deep/nested/notes.txt");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1000 1000\n1000 1000\n1000 1000\n", result.Stdout);
        Assert.Equal("host\nsandbox\n", Encoding.UTF8.GetString(read.Value!));
    }

    [Fact]
    public async Task ListAsync_Folder_ListsEntriesSorted()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "b.txt", new byte[3]);
        await Files.WriteAsync(sandbox.Id, "a.txt", new byte[5]);
        await Files.CreateDirectoryAsync(sandbox.Id, "c");

        var listed = await Files.ListAsync(sandbox.Id, "/workspace");
        var empty = await Files.ListAsync(sandbox.Id, "c");

        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.Equal(["a.txt", "b.txt", "c"], listed.Value!.Select(e => e.Name));
        Assert.Equal(["/workspace/a.txt", "/workspace/b.txt", "/workspace/c"], listed.Value!.Select(e => e.Path));
        Assert.Equal(5, listed.Value[0].Size);
        Assert.True(listed.Value[2].IsDirectory);
        Assert.Empty(empty.Value!);
    }

    [Fact]
    public async Task ListAsync_MissingFolderOrFile_IsNotFound()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "file.txt", new byte[1]);

        Assert.Equal(SandboxErrorKind.NotFound, (await Files.ListAsync(sandbox.Id, "missing")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, (await Files.ListAsync(sandbox.Id, "file.txt")).Error!.Kind);
    }

    [Fact]
    public async Task InfoAsync_FileAndFolder_AreDescribed()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "dir/x.py", Encoding.UTF8.GetBytes("print(1)\n"));
        await fixture.BashAsync(sandbox.Id, "chmod 750 dir/x.py");

        var file = await Files.InfoAsync(sandbox.Id, "dir/x.py");
        var folder = await Files.InfoAsync(sandbox.Id, "/workspace/dir");
        var root = await Files.InfoAsync(sandbox.Id, "/workspace");
        var missing = await Files.InfoAsync(sandbox.Id, "nope");

        Assert.Equal(new { Path = "/workspace/dir/x.py", Name = "x.py", IsDirectory = false, Size = 9L, Mode = "750" },
            new { file.Value!.Path, file.Value.Name, file.Value.IsDirectory, file.Value.Size, file.Value.Mode });
        Assert.True(DateTimeOffset.UtcNow - file.Value.ModifiedAt < TimeSpan.FromMinutes(5));
        Assert.True(folder.Value!.IsDirectory);
        Assert.Equal("dir", folder.Value.Name);
        Assert.Equal("/workspace", root.Value!.Path);
        Assert.Equal(SandboxErrorKind.NotFound, missing.Error!.Kind);
    }

    [Fact]
    public async Task CreateDirectoryAsync_NestedPath_CreatesAllLevels()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var created = await Files.CreateDirectoryAsync(sandbox.Id, "x/y/z");
        var again = await Files.CreateDirectoryAsync(sandbox.Id, "x/y/z");
        var check = await fixture.BashAsync(sandbox.Id, "test -d x/y/z && touch x/y/z/ok && echo ok");

        Assert.True(created.Succeeded, created.Error?.ToString());
        Assert.True(created.Value!.IsDirectory);
        Assert.Equal("/workspace/x/y/z", created.Value.Path);
        Assert.True(again.Succeeded);
        Assert.Equal("ok\n", check.Stdout);
    }

    [Fact]
    public async Task CreateDirectoryAsync_OverFile_IsConflict()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "taken", new byte[1]);

        Assert.Equal(SandboxErrorKind.Conflict, (await Files.CreateDirectoryAsync(sandbox.Id, "taken")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.Conflict, (await Files.CreateDirectoryAsync(sandbox.Id, "taken/below")).Error!.Kind);
    }

    [Fact]
    public async Task MoveAsync_FileAndFolder_AreMoved()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "old.txt", Encoding.UTF8.GetBytes("content"));
        await Files.WriteAsync(sandbox.Id, "folder/inner.txt", Encoding.UTF8.GetBytes("inner"));

        var file = await Files.MoveAsync(sandbox.Id, "old.txt", "renamed/new.txt");
        var folder = await Files.MoveAsync(sandbox.Id, "/workspace/folder", "/workspace/moved");

        Assert.True(file.Succeeded, file.Error?.ToString());
        Assert.Equal("/workspace/renamed/new.txt", file.Value!.Path);
        Assert.True(folder.Succeeded, folder.Error?.ToString());
        Assert.Equal("content", Encoding.UTF8.GetString((await Files.ReadAsync(sandbox.Id, "renamed/new.txt")).Value!));
        Assert.Equal("inner", Encoding.UTF8.GetString((await Files.ReadAsync(sandbox.Id, "moved/inner.txt")).Value!));
        Assert.Equal(SandboxErrorKind.NotFound, (await Files.InfoAsync(sandbox.Id, "old.txt")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, (await Files.InfoAsync(sandbox.Id, "folder")).Error!.Kind);
    }

    [Fact]
    public async Task MoveAsync_ExistingDestinationOrMissingSource_Fails()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "a", new byte[1]);
        await Files.WriteAsync(sandbox.Id, "b", new byte[1]);

        Assert.Equal(SandboxErrorKind.Conflict, (await Files.MoveAsync(sandbox.Id, "a", "b")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, (await Files.MoveAsync(sandbox.Id, "missing", "c")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.MoveAsync(sandbox.Id, "a", "/etc/a")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.MoveAsync(sandbox.Id, "/workspace", "x")).Error!.Kind);
    }

    [Fact]
    public async Task DeleteAsync_FileAndFolder_AreRemoved()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "gone.txt", new byte[1]);
        await Files.WriteAsync(sandbox.Id, "tree/a/b.txt", new byte[1]);

        Assert.True((await Files.DeleteAsync(sandbox.Id, "gone.txt")).Succeeded);
        Assert.True((await Files.DeleteAsync(sandbox.Id, "tree")).Succeeded);
        Assert.Equal(SandboxErrorKind.NotFound, (await Files.DeleteAsync(sandbox.Id, "gone.txt")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.DeleteAsync(sandbox.Id, "/workspace")).Error!.Kind);
        Assert.Empty((await Files.ListAsync(sandbox.Id, "/workspace")).Value!);
    }

    [Fact]
    public async Task DeleteAsync_SymlinkToHostFolder_RemovesOnlyTheLink()
    {
        using var host = new TempDirectory();
        var precious = Path.Combine(host.Path, "precious.txt");
        await File.WriteAllTextAsync(precious, "keep me");
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "mkdir d && ln -s \"$1\" d/link", arguments: [host.Path]);

        var deleted = await Files.DeleteAsync(sandbox.Id, "d");

        Assert.True(deleted.Succeeded, deleted.Error?.ToString());
        Assert.True(File.Exists(precious));
    }

    [Fact]
    public async Task UploadAsync_DownloadAsync_RoundTripLargeStream()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(content);

        var uploaded = await Files.UploadAsync(sandbox.Id, "blobs/big.bin", new MemoryStream(content));
        using var downloaded = new MemoryStream();
        var download = await Files.DownloadAsync(sandbox.Id, "blobs/big.bin", downloaded);

        Assert.True(uploaded.Succeeded, uploaded.Error?.ToString());
        Assert.Equal(content.Length, uploaded.Value!.Size);
        Assert.True(download.Succeeded, download.Error?.ToString());
        Assert.Equal(content, downloaded.ToArray());
    }

    [Fact]
    public async Task WriteAsync_OverWriteLimit_IsLimitExceeded()
    {
        var provider = fixture.Create(o => o.MaxWriteBytes = 4096);
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);

        var write = await provider.Files.WriteAsync(sandbox.Id, "big", new byte[4097]);
        var upload = await provider.Files.UploadAsync(sandbox.Id, "big2", new MemoryStream(new byte[100_000]));
        var fits = await provider.Files.WriteAsync(sandbox.Id, "ok", new byte[4096]);

        Assert.Equal(SandboxErrorKind.LimitExceeded, write.Error!.Kind);
        Assert.Equal(SandboxErrorKind.LimitExceeded, upload.Error!.Kind);
        Assert.True(fits.Succeeded, fits.Error?.ToString());
    }

    [Fact]
    public async Task UploadAsync_StreamFailsMidway_LeavesPreviousContentAndNoTemporaryFile()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "up/f.txt", Encoding.UTF8.GetBytes("previous"));

        // A client that disconnects after 3 MiB of a larger upload.
        await Assert.ThrowsAsync<IOException>(async () => await Files.UploadAsync(sandbox.Id, "up/f.txt", new FailingStream(3 * 1024 * 1024)));
        await Assert.ThrowsAsync<IOException>(async () => await Files.UploadAsync(sandbox.Id, "up/new.txt", new FailingStream(3 * 1024 * 1024)));

        Assert.Equal("previous", Encoding.UTF8.GetString((await Files.ReadAsync(sandbox.Id, "up/f.txt")).Value!));
        Assert.Equal(["f.txt"], EntriesOf(sandbox.Id, "up"));
    }

    [Fact]
    public async Task UploadAsync_CancelledMidway_LeavesPreviousContentAndNoTemporaryFile()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "up/f.txt", Encoding.UTF8.GetBytes("previous"));
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Files.UploadAsync(sandbox.Id, "up/f.txt", new FailingStream(3 * 1024 * 1024, cancel), cancel.Token));

        Assert.Equal("previous", Encoding.UTF8.GetString((await Files.ReadAsync(sandbox.Id, "up/f.txt")).Value!));
        Assert.Equal(["f.txt"], EntriesOf(sandbox.Id, "up"));
    }

    [Fact]
    public async Task UploadAsync_OverWriteLimit_LeavesPreviousContentOrNothing()
    {
        var provider = fixture.Create(o => o.MaxWriteBytes = 4096);
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);
        await provider.Files.WriteAsync(sandbox.Id, "up/f.txt", Encoding.UTF8.GetBytes("previous"));

        var replaced = await provider.Files.UploadAsync(sandbox.Id, "up/f.txt", new MemoryStream(new byte[100_000]));
        var added = await provider.Files.UploadAsync(sandbox.Id, "up/new.txt", new MemoryStream(new byte[100_000]));

        Assert.Equal(SandboxErrorKind.LimitExceeded, replaced.Error!.Kind);
        Assert.Equal(SandboxErrorKind.LimitExceeded, added.Error!.Kind);
        Assert.Equal("previous", Encoding.UTF8.GetString((await provider.Files.ReadAsync(sandbox.Id, "up/f.txt")).Value!));
        Assert.Equal(["f.txt"], EntriesOf(sandbox.Id, "up"));
    }

    [Fact]
    public async Task UploadAsync_OverExistingExecutable_KeepsModeAndGivesFileToSandbox()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "printf 'echo old' > run.sh && chmod 750 run.sh");

        var written = await Files.WriteAsync(sandbox.Id, "run.sh", Encoding.UTF8.GetBytes("echo new"));
        var run = await fixture.BashAsync(sandbox.Id, "./run.sh && stat -c '%a %U' run.sh && echo more >> run.sh");

        Assert.True(written.Succeeded, written.Error?.ToString());
        Assert.Equal("750", written.Value!.Mode);
        Assert.Equal("new\n750 sandbox\n", run.Stdout);
        Assert.Equal(0, run.ExitCode);
    }

    /// <summary>What the host sees in a workspace folder, hidden entries included.</summary>
    private string[] EntriesOf(string sandboxId, string folder) =>
        Directory.EnumerateFileSystemEntries(Path.Combine(fixture.DataDirectory, "sandboxes", sandboxId, "workspace", folder))
            .Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Yields zero bytes, then fails after <paramref name="failAfter"/> bytes: by an I/O error, or by cancelling.</summary>
    private sealed class FailingStream(long failAfter, CancellationTokenSource? cancel = null) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter)
            {
                if (cancel is null)
                {
                    throw new IOException("The client disconnected.");
                }

                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
            }

            var count = (int)Math.Min(buffer.Length, failAfter - _position);
            buffer[..count].Clear();
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task ReadAsync_OverReadLimit_IsLimitExceededButDownloadWorks()
    {
        var provider = fixture.Create(o => o.MaxReadBytes = 4096);
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);
        await provider.Files.WriteAsync(sandbox.Id, "big", new byte[10_000]);

        var read = await provider.Files.ReadAsync(sandbox.Id, "big");
        using var stream = new MemoryStream();
        var download = await provider.Files.DownloadAsync(sandbox.Id, "big", stream);

        Assert.Equal(SandboxErrorKind.LimitExceeded, read.Error!.Kind);
        Assert.True(download.Succeeded, download.Error?.ToString());
        Assert.Equal(10_000, stream.Length);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../outside.txt")]
    [InlineData("a/../../outside.txt")]
    [InlineData("/workspace/../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("/workspace2/x")]
    [InlineData("")]
    public async Task Paths_OutsideWorkspace_AreInvalidArgument(string path)
    {
        var sandbox = await fixture.CreateSandboxAsync();

        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.ReadAsync(sandbox.Id, path)).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.WriteAsync(sandbox.Id, path, new byte[1])).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.InfoAsync(sandbox.Id, path)).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.DeleteAsync(sandbox.Id, path)).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.CreateDirectoryAsync(sandbox.Id, path)).Error!.Kind);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("../..")]
    [InlineData("..")]
    [InlineData("/")]
    public async Task Paths_ThroughSymlinkLeavingWorkspace_AreInvalidArgument(string target)
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var link = await fixture.BashAsync(sandbox.Id, "ln -s \"$1\" /workspace/evil", arguments: [target]);
        Assert.Equal(0, link.ExitCode);

        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.ReadAsync(sandbox.Id, "evil/passwd")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.ReadAsync(sandbox.Id, "/workspace/evil/etc/passwd")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.WriteAsync(sandbox.Id, "evil/pwned", new byte[1])).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.ListAsync(sandbox.Id, "evil")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.CreateDirectoryAsync(sandbox.Id, "evil/newdir")).Error!.Kind);
        using var sink = new MemoryStream();
        Assert.Equal(SandboxErrorKind.InvalidArgument, (await Files.DownloadAsync(sandbox.Id, "evil/passwd", sink)).Error!.Kind);
        Assert.Equal(0, sink.Length);
    }

    [Fact]
    public async Task WriteAsync_ThroughFileSymlinkToHost_IsRejectedAndHostFileUntouched()
    {
        using var host = new TempDirectory();
        var target = Path.Combine(host.Path, "victim.txt");
        await File.WriteAllTextAsync(target, "original");
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "ln -s \"$1\" /workspace/link.txt", arguments: [target]);

        var write = await Files.WriteAsync(sandbox.Id, "link.txt", Encoding.UTF8.GetBytes("overwritten"));
        var read = await Files.ReadAsync(sandbox.Id, "link.txt");

        Assert.Equal(SandboxErrorKind.InvalidArgument, write.Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, read.Error!.Kind);
        Assert.Equal("original", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task ReadAsync_SymlinkToWorkspaceFile_ReturnsTargetContent()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "real/data.txt", Encoding.UTF8.GetBytes("real data"));
        await fixture.BashAsync(sandbox.Id, "ln -s real/data.txt rel-link && ln -s /workspace/real/data.txt abs-link && ln -s real dir-link");

        var relative = await Files.ReadAsync(sandbox.Id, "rel-link");
        var absolute = await Files.ReadAsync(sandbox.Id, "abs-link");
        var throughFolder = await Files.ReadAsync(sandbox.Id, "dir-link/data.txt");

        Assert.Equal("real data", Encoding.UTF8.GetString(relative.Value!));
        Assert.Equal("real data", Encoding.UTF8.GetString(absolute.Value!));
        Assert.Equal("real data", Encoding.UTF8.GetString(throughFolder.Value!));
    }

    [Fact]
    public async Task ListAsync_SymlinkToHostFile_DoesNotRevealTargetMetadata()
    {
        using var host = new TempDirectory();
        var secret = Path.Combine(host.Path, "secret.bin");
        await File.WriteAllBytesAsync(secret, new byte[123_457]);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetLastWriteTimeUtc(secret, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.WriteAsync(sandbox.Id, "inside.txt", new byte[42]);
        await fixture.BashAsync(sandbox.Id, "ln -s \"$1\" /workspace/peek && ln -s \"$2\" /workspace/peek-dir && ln -s inside.txt /workspace/z-link",
            arguments: [secret, host.Path]);

        var listed = await Files.ListAsync(sandbox.Id, "/workspace");

        Assert.True(listed.Succeeded, listed.Error?.ToString());
        Assert.Equal(["inside.txt", "peek", "peek-dir", "z-link"], listed.Value!.Select(e => e.Name));
        foreach (var entry in listed.Value!.Where(e => e.Name.StartsWith("peek", StringComparison.Ordinal)))
        {
            Assert.NotEqual(123_457, entry.Size);
            Assert.Equal("777", entry.Mode);
            Assert.False(entry.IsDirectory);
            Assert.NotEqual(2001, entry.ModifiedAt.Year);
        }

        // A link inside the workspace is described by its target.
        Assert.Equal(42, listed.Value![3].Size);
        Assert.Equal("/workspace/z-link", listed.Value[3].Path);
    }

    [Fact]
    public async Task ReadAsync_Fifo_FailsWithoutHanging()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "mkfifo /workspace/pipe");

        // Task.Run: a blocking open would otherwise hang the test before WaitAsync could time it out.
        var read = await Task.Run(() => Files.ReadAsync(sandbox.Id, "pipe").AsTask()).WaitAsync(TimeSpan.FromSeconds(10));
        var write = await Task.Run(() => Files.WriteAsync(sandbox.Id, "pipe", new byte[1]).AsTask()).WaitAsync(TimeSpan.FromSeconds(10));
        using var sink = new MemoryStream();
        var download = await Task.Run(() => Files.DownloadAsync(sandbox.Id, "pipe", sink).AsTask()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SandboxErrorKind.InvalidArgument, read.Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, write.Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, download.Error!.Kind);
    }

    [Fact]
    public async Task Files_StoppedSandbox_IsConflict()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.Provider.StopAsync(sandbox.Id);

        Assert.Equal(SandboxErrorKind.Conflict, (await Files.ReadAsync(sandbox.Id, "x")).Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, (await Files.ReadAsync("no-such-sandbox", "x")).Error!.Kind);
    }
}
