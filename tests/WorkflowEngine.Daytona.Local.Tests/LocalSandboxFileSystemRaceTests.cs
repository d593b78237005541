using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

/// <summary>Host-side file operations against links that lead out, including one swapped in while the host opens the file.</summary>
public sealed class LocalSandboxFileSystemRaceTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    private ISandboxFileSystem Files => fixture.Provider.Files;

    [Fact]
    public async Task WriteAsync_ThroughFolderSymlinkToHost_IsRefusedAndCreatesNothingOutside()
    {
        using var outside = new TempDirectory();
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "ln -s \"$1\" /workspace/dir-link && ln -s ../../../../../../../..\"$1\" /workspace/rel-link", arguments: [outside.Path]);

        var write = await Files.WriteAsync(sandbox.Id, "dir-link/new.txt", Encoding.UTF8.GetBytes("escaped"));
        var relative = await Files.WriteAsync(sandbox.Id, "rel-link/new.txt", Encoding.UTF8.GetBytes("escaped"));
        using var upload = new MemoryStream(Encoding.UTF8.GetBytes("escaped"));
        var uploaded = await Files.UploadAsync(sandbox.Id, "dir-link/up.txt", upload);
        var info = await Files.InfoAsync(sandbox.Id, "dir-link");

        Assert.Equal(SandboxErrorKind.InvalidArgument, write.Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, relative.Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, uploaded.Error!.Kind);
        Assert.Equal(SandboxErrorKind.InvalidArgument, info.Error!.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Path));
    }

    [Theory]
    [InlineData("d/f.txt")]
    [InlineData("d/sub/f.txt")]
    public async Task WriteAsync_FolderSwappedForSymlinkToHost_NeverCreatesAFileOutside(string path)
    {
        using var outside = new TempDirectory();
        var sandbox = await fixture.CreateSandboxAsync();
        var workspace = Path.Combine(fixture.DataDirectory, "sandboxes", sandbox.Id, "workspace");
        var folder = Path.Combine(workspace, "d");
        var link = Path.Combine(workspace, "d-swap");
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(link, outside.Path);

        // Atomically exchange 'd' (a folder) and 'd-swap' (a link to a host folder) as fast as possible.
        var stop = 0;
        var swaps = 0;
        var swapper = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                if (renameat2(AtFdCwd, folder, AtFdCwd, link, RenameExchange) == 0)
                {
                    swaps++;
                }
            }
        }) { IsBackground = true };
        swapper.Start();

        var writes = 0;
        var succeeded = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                var written = await Files.WriteAsync(sandbox.Id, path, Encoding.UTF8.GetBytes("data"));
                writes++;
                succeeded += written.Succeeded ? 1 : 0;
                Assert.True(written.Succeeded || written.Error!.Kind == SandboxErrorKind.InvalidArgument, written.Error?.ToString());
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            swapper.Join();
        }

        Assert.True(swaps > 1000, $"only {swaps} swaps");
        Assert.True(writes > 100, $"only {writes} writes");
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Path));
    }

    [Theory]
    [InlineData("d/victim")]
    [InlineData("d/sub")]
    public async Task DeleteAsync_FolderSwappedForSymlinkToHost_NeverDeletesOutside(string path)
    {
        using var outside = new TempDirectory();
        File.WriteAllText(Path.Combine(outside.Path, "victim"), "keep");
        Directory.CreateDirectory(Path.Combine(outside.Path, "sub"));
        File.WriteAllText(Path.Combine(outside.Path, "sub", "victim"), "keep");
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "mkdir -p d/sub && touch d/victim d/sub/victim");

        var (swaps, calls) = await RaceAsync(sandbox.Id, outside.Path, async _ =>
        {
            var deleted = await Files.DeleteAsync(sandbox.Id, path);
            Assert.True(deleted.Succeeded || deleted.Error!.Kind is SandboxErrorKind.NotFound or SandboxErrorKind.InvalidArgument, deleted.Error?.ToString());
        });

        Assert.True(swaps > 1000, $"only {swaps} swaps");
        Assert.True(calls > 100, $"only {calls} deletes");
        Assert.True(File.Exists(Path.Combine(outside.Path, "victim")), "the outside file was deleted");
        Assert.True(File.Exists(Path.Combine(outside.Path, "sub", "victim")), "the outside folder was deleted");
    }

    [Fact]
    public async Task MoveAsync_SourceFolderSwappedForSymlinkToHost_NeverMovesAnythingOutside()
    {
        using var outside = new TempDirectory();
        File.WriteAllText(Path.Combine(outside.Path, "victim"), "keep");
        var before = Snapshot(outside.Path);
        var sandbox = await fixture.CreateSandboxAsync();
        var workspace = Workspace(sandbox.Id);
        await fixture.BashAsync(sandbox.Id, "mkdir d && echo inside > d/victim");

        var (swaps, calls) = await RaceAsync(sandbox.Id, outside.Path, async _ =>
        {
            var moved = await Files.MoveAsync(sandbox.Id, "d/victim", "moved");
            Assert.True(moved.Succeeded || moved.Error!.Kind is SandboxErrorKind.NotFound or SandboxErrorKind.InvalidArgument, moved.Error?.ToString());

            // The workspace root is never swapped: clear the destination so every call races again.
            File.Delete(Path.Combine(workspace, "moved"));
        });

        Assert.True(swaps > 1000, $"only {swaps} swaps");
        Assert.True(calls > 100, $"only {calls} moves");
        Assert.Equal(before, Snapshot(outside.Path));
    }

    [Fact]
    public async Task MoveAsync_DestinationFolderSwappedForSymlinkToHost_NeverPlacesAFileOutside()
    {
        using var outside = new TempDirectory();
        var sandbox = await fixture.CreateSandboxAsync();
        var workspace = Workspace(sandbox.Id);
        await fixture.BashAsync(sandbox.Id, "mkdir d");

        var (swaps, calls) = await RaceAsync(sandbox.Id, outside.Path, async call =>
        {
            var source = Path.Combine(workspace, "src");
            if (!File.Exists(source))
            {
                File.WriteAllText(source, "data");
            }

            var moved = await Files.MoveAsync(sandbox.Id, "src", $"d/into-{call}");
            Assert.True(moved.Succeeded || moved.Error!.Kind == SandboxErrorKind.InvalidArgument, moved.Error?.ToString());
        });

        Assert.True(swaps > 1000, $"only {swaps} swaps");
        Assert.True(calls > 100, $"only {calls} moves");
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Path));
    }

    [Fact]
    public async Task ListAsync_FolderSwappedForSymlinkToHost_NeverListsOutside()
    {
        using var outside = new TempDirectory();
        var marker = $"outside-{Guid.NewGuid():N}";
        File.WriteAllText(Path.Combine(outside.Path, marker), "secret");
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "mkdir d && touch d/inside");

        var listedInside = 0;
        var (swaps, calls) = await RaceAsync(sandbox.Id, outside.Path, async _ =>
        {
            var listed = await Files.ListAsync(sandbox.Id, "d");
            Assert.True(listed.Succeeded || listed.Error!.Kind is SandboxErrorKind.NotFound or SandboxErrorKind.InvalidArgument, listed.Error?.ToString());
            Assert.DoesNotContain(listed.Value ?? [], e => e.Name == marker);
            listedInside += listed.Value?.Any(e => e.Name == "inside") == true ? 1 : 0;
        });

        Assert.True(swaps > 1000, $"only {swaps} swaps");
        Assert.True(calls > 100, $"only {calls} lists");
        Assert.True(listedInside > 0, "the folder was never listed");
    }

    [Fact]
    public async Task Files_ThroughSymlinksInsideWorkspace_StillWork()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await Files.CreateDirectoryAsync(sandbox.Id, "real");
        await fixture.BashAsync(sandbox.Id, "ln -s real rel-dir && ln -s /workspace/real abs-dir && touch real/f.txt && ln -s real/f.txt file-link");

        var relative = await Files.WriteAsync(sandbox.Id, "rel-dir/a.txt", Encoding.UTF8.GetBytes("via relative"));
        var absolute = await Files.WriteAsync(sandbox.Id, "abs-dir/b.txt", Encoding.UTF8.GetBytes("via absolute"));
        var throughFileLink = await Files.WriteAsync(sandbox.Id, "file-link", Encoding.UTF8.GetBytes("via file link"));
        var info = await Files.InfoAsync(sandbox.Id, "rel-dir");
        var fileInfo = await Files.InfoAsync(sandbox.Id, "abs-dir/b.txt");
        using var sink = new MemoryStream();
        var download = await Files.DownloadAsync(sandbox.Id, "abs-dir/a.txt", sink);
        var inside = await fixture.BashAsync(sandbox.Id, "cat real/a.txt real/b.txt real/f.txt; stat -c '%u %a' real/a.txt");

        Assert.True(relative.Succeeded, relative.Error?.ToString());
        Assert.Equal("/workspace/real/a.txt", relative.Value!.Path);
        Assert.Equal(12, relative.Value.Size);
        Assert.True(absolute.Succeeded, absolute.Error?.ToString());
        Assert.True(throughFileLink.Succeeded, throughFileLink.Error?.ToString());
        Assert.Equal("/workspace/real/f.txt", throughFileLink.Value!.Path);
        Assert.True(info.Value!.IsDirectory);
        Assert.Equal("b.txt", fileInfo.Value!.Name);
        Assert.Equal(12, fileInfo.Value.Size);
        Assert.True(download.Succeeded, download.Error?.ToString());
        Assert.Equal("via relative", Encoding.UTF8.GetString(sink.ToArray()));
        Assert.Equal("via relativevia absolutevia file link1000 644\n", inside.Stdout);
    }

    [Fact]
    public async Task InfoAsync_Fifo_IsDescribedWithoutHanging()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.BashAsync(sandbox.Id, "mkfifo /workspace/pipe");

        var info = await Task.Run(() => Files.InfoAsync(sandbox.Id, "pipe").AsTask()).WaitAsync(TimeSpan.FromSeconds(10));
        var missing = await Files.InfoAsync(sandbox.Id, "nope/missing.txt");

        Assert.True(info.Succeeded, info.Error?.ToString());
        Assert.False(info.Value!.IsDirectory);
        Assert.Equal(SandboxErrorKind.NotFound, missing.Error!.Kind);
    }

    private string Workspace(string sandbox) => Path.Combine(fixture.DataDirectory, "sandboxes", sandbox, "workspace");

    private static SortedDictionary<string, string> Snapshot(string folder) => new(
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(e => Path.GetRelativePath(folder, e), e => File.Exists(e) ? File.ReadAllText(e) : "<folder>"),
        StringComparer.Ordinal);

    /// <summary>
    /// Calls <paramref name="operation"/> (given the call number) for two seconds while another thread exchanges the
    /// workspace folder <c>d</c> with a link to <paramref name="outside"/> as fast as it can.
    /// </summary>
    private async Task<(int Swaps, int Calls)> RaceAsync(string sandbox, string outside, Func<int, Task> operation)
    {
        var folder = Path.Combine(Workspace(sandbox), "d");
        var link = Path.Combine(Workspace(sandbox), "d-swap");
        File.CreateSymbolicLink(link, outside);

        var stop = 0;
        var swaps = 0;
        var swapper = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                if (renameat2(AtFdCwd, folder, AtFdCwd, link, RenameExchange) == 0)
                {
                    swaps++;
                }
            }
        }) { IsBackground = true };
        swapper.Start();

        var calls = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                await operation(calls);
                calls++;
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            swapper.Join();
        }

        return (swaps, calls);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int renameat2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);
}
