using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests.Isolation;

/// <summary>Who may read what the provider keeps under its data folder.</summary>
public sealed class SandboxLayoutTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Traversed = OwnerOnlyFolder | UnixFileMode.GroupExecute;
    private const int SandboxUid = 200_000;

    [Fact]
    public async Task CreateAsync_EnvironmentSecret_EveryFileHoldingItIsOwnerOnly()
    {
        var secret = "tok-" + Guid.NewGuid().ToString("N");
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { EnvironmentVars = new Dictionary<string, string> { ["API_TOKEN"] = secret } });
        Assert.Contains(secret, (await fixture.BashAsync(sandbox.Id, "echo $API_TOKEN")).Stdout);

        var holding = Directory.EnumerateFiles(fixture.DataDirectory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => new FileInfo(f).LinkTarget is null && !IsDiskImage(f) && Contains(f, secret))
            .ToList();

        Assert.NotEmpty(holding);
        foreach (var file in holding)
        {
            Assert.True(File.GetUnixFileMode(file) == OwnerOnlyFile, $"{file} is {File.GetUnixFileMode(file)}");
            Assert.Equal("0", await OwnerAsync(file));
        }
    }

    [Fact]
    public async Task Provider_DataFolder_IsClosedToOthersAndOnlyTraversableBySandboxGroup()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var data = fixture.DataDirectory;
        var directory = Path.Combine(data, "sandboxes", sandbox.Id);

        await AssertModeAsync(data, Traversed, "0", SandboxUid.ToString());
        await AssertModeAsync(Path.Combine(data, "sandboxes"), Traversed, "0", SandboxUid.ToString());
        await AssertModeAsync(directory, Traversed, "0", SandboxUid.ToString());
        await AssertModeAsync(Path.Combine(directory, "workspace"), OwnerOnlyFolder, SandboxUid.ToString(), SandboxUid.ToString());
        await AssertModeAsync(Path.Combine(data, "runtime"), OwnerOnlyFolder, "0", null);
        AssertNothingOpenToOthersOutsideWorkspaces(data);
    }

    [Fact]
    public async Task Provider_DataFolderLeftWideByOlderVersion_IsNarrowedAtStart()
    {
        using var data = new TempDirectory("wfe-wide-");
        var options = new LocalSandboxOptions { DataDirectory = data.Path };
        using (var first = new LocalSandboxProvider(options))
        {
            var created = await first.CreateAsync(new SandboxSpec { EnvironmentVars = new Dictionary<string, string> { ["API_TOKEN"] = "x" } });
            Assert.True(created.Succeeded, created.Error?.ToString());
        }

        // What an older version left: everything readable by every local user.
        foreach (var entry in Directory.EnumerateFileSystemEntries(data.Path, "*", SearchOption.AllDirectories).Append(data.Path)
                     .Where(e => new FileInfo(e).LinkTarget is null && !e.Contains("/workspace", StringComparison.Ordinal)))
        {
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
        }

        File.WriteAllText(Path.Combine(data.Path, "wfe.db-wal"), "");
        File.SetUnixFileMode(Path.Combine(data.Path, "wfe.db-wal"), (UnixFileMode)0b110_100_100);

        using var second = new LocalSandboxProvider(options);
        try
        {
            AssertNothingOpenToOthersOutsideWorkspaces(data.Path);
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data.Path, "wfe.db")));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data.Path, "wfe.db-wal")));
        }
        finally
        {
            // The workspace is a mount: only deleting the sandbox lets the folder go.
            foreach (var sandbox in (await second.ListAsync()).Value!)
            {
                await second.DeleteAsync(sandbox.Id);
            }
        }
    }

    /// <summary>Outside the workspaces (the sandboxes' own files), nothing grants others any access and no file grants its group any.</summary>
    private static void AssertNothingOpenToOthersOutsideWorkspaces(string data)
    {
        var entries = Directory.EnumerateFileSystemEntries(data, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(e => !e.Contains("/workspace/", StringComparison.Ordinal) && new FileInfo(e).LinkTarget is null)
            .Append(data);
        foreach (var entry in entries)
        {
            var mode = File.GetUnixFileMode(entry);
            var open = Directory.Exists(entry)
                ? mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite)
                : mode & ~OwnerOnlyFile;
            Assert.True(open == 0, $"{entry} is {mode}");
        }
    }

    private static async Task AssertModeAsync(string path, UnixFileMode mode, string owner, string? group)
    {
        Assert.Equal(mode, File.GetUnixFileMode(path));
        var (_, stdout, _) = await Host.RunAsync("/usr/bin/stat", "-c", "%u %g", path);
        var ids = stdout.Trim().Split(' ');
        Assert.Equal(owner, ids[0]);
        if (group is not null)
        {
            Assert.Equal(group, ids[1]);
        }
    }

    private static async Task<string> OwnerAsync(string path) => (await Host.RunAsync("/usr/bin/stat", "-c", "%u", path)).Stdout.Trim();

    /// <summary>A sandbox's disk image holds its workspace (sandbox data, not the registry's); its mode is checked with the rest.</summary>
    private static bool IsDiskImage(string file) => Path.GetFileName(file) == "disk.img";

    private static bool Contains(string file, string text)
    {
        var bytes = File.ReadAllBytes(file);
        return bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }
}
