using WorkflowEngine.Daytona.Local.Storage;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests.Isolation;

/// <summary>Per-sandbox disk quotas on real sandboxes: bytes and files, from inside and from the host, and nothing left after delete or a crash.</summary>
public sealed class DiskQuotaTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const long QuotaBytes = 16L * 1024 * 1024;
    private const long QuotaInodes = 500;

    private static SandboxSpec Small(long? inodes = QuotaInodes) =>
        new() { Resources = new SandboxResources { DiskBytes = QuotaBytes, DiskInodes = inodes } };

    [Fact]
    public async Task Exec_FilesOverQuota_FailWithDiskQuotaExceededAndHostGrowsAtMostTheQuota()
    {
        var sandbox = await fixture.CreateSandboxAsync(Small());
        var before = await AllocatedBytesAsync(SandboxFolder(sandbox.Id));

        // The reproduction, scaled down: each file is under the per-file limit, together they are over the quota.
        var result = await fixture.BashAsync(sandbox.Id, "for i in 1 2 3; do dd if=/dev/zero of=/workspace/f$i bs=1M count=10 status=none || exit 1; done");

        var after = await AllocatedBytesAsync(SandboxFolder(sandbox.Id));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No space left on device", result.Stderr);
        Assert.Contains("disk quota exceeded: the sandbox's limit is 16 MiB and 500 files", result.Stderr);
        Assert.True(after - before <= QuotaBytes, $"the host disk grew by {after - before} bytes for a quota of {QuotaBytes}");
    }

    [Fact]
    public async Task Exec_MoreFilesThanInodeQuota_Fails()
    {
        var sandbox = await fixture.CreateSandboxAsync(Small());

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "python", """
            import sys
            n = 0
            try:
                for n in range(600):
                    open(f'/workspace/f{n}', 'w').close()
            except OSError as e:
                print(n, e, file=sys.stderr)
                sys.exit(3)
            print(n)
            """);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(3, result.Value!.ExitCode);
        var created = int.Parse(result.Value.Stderr.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(created, (int)QuotaInodes, 599);
        Assert.Contains("disk quota exceeded", result.Value.Stderr);
    }

    [Fact]
    public async Task UploadAsync_OverQuota_IsLimitExceededAndLeavesNoFile()
    {
        var sandbox = await fixture.CreateSandboxAsync(Small());
        var first = await fixture.Provider.Files.UploadAsync(sandbox.Id, "a.bin", new MemoryStream(new byte[8 * 1024 * 1024]));
        Assert.True(first.Succeeded, first.Error?.ToString());

        var second = await fixture.Provider.Files.UploadAsync(sandbox.Id, "b.bin", new MemoryStream(new byte[10 * 1024 * 1024]));

        Assert.False(second.Succeeded);
        Assert.Equal(SandboxErrorKind.LimitExceeded, second.Error!.Kind);
        Assert.Contains("disk quota exceeded: the sandbox's limit is 16 MiB", second.Error.Message);
        Assert.Contains("create the sandbox with more disk", second.Error.Message);
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.Files.InfoAsync(sandbox.Id, "b.bin")).Error!.Kind);
    }

    [Fact]
    public async Task GetAsync_QuotaSandbox_ShowsQuotaAndUsage()
    {
        var sandbox = await fixture.CreateSandboxAsync(Small());
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "one.bin", new byte[1024 * 1024]);

        var info = (await fixture.Provider.GetAsync(sandbox.Id)).Value!;

        Assert.Equal(QuotaBytes, info.Resources.DiskBytes);
        Assert.Equal(QuotaInodes, info.Resources.DiskInodes);
        Assert.StartsWith("enforced", info.DiskQuota);
        Assert.InRange(info.DiskUsedBytes ?? 0, 1024 * 1024, QuotaBytes);
        Assert.InRange(info.DiskUsedInodes ?? 0, 2, 20);
    }

    [Fact]
    public async Task CreateAsync_Defaults_GetTwoGiBAndHundredThousandFilesWithSandboxOwnedEmptyWorkspace()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var listing = await fixture.BashAsync(sandbox.Id, "ls -A /workspace; stat -c '%u %a' /workspace; touch /workspace/x && echo wrote");

        Assert.Equal(2L * 1024 * 1024 * 1024, sandbox.Resources.DiskBytes);
        Assert.Equal(100_000, sandbox.Resources.DiskInodes);
        Assert.StartsWith("enforced", sandbox.DiskQuota);
        Assert.Equal("1000 700\nwrote\n", listing.Stdout);
        Assert.True(new FileInfo(Path.Combine(SandboxFolder(sandbox.Id), "disk.img")).Length == 2L * 1024 * 1024 * 1024);
        Assert.True(await AllocatedBytesAsync(SandboxFolder(sandbox.Id)) < 16L * 1024 * 1024, "the image must be sparse");
    }

    [Fact]
    public async Task CreateAsync_SmallDisk_DefaultFilesFitAndTooManyFilesIsInvalid()
    {
        var fitted = await fixture.CreateSandboxAsync(Small(inodes: null));
        var tooMany = await fixture.Provider.CreateAsync(Small(inodes: 20_000));

        Assert.Equal(QuotaBytes / 4096, fitted.Resources.DiskInodes);
        Assert.False(tooMany.Succeeded);
        Assert.Equal(SandboxErrorKind.InvalidArgument, tooMany.Error!.Kind);
        Assert.Contains("ask for at most 16384 files or for more disk", tooMany.Error.Message);
    }

    [Fact]
    public async Task DeleteAsync_QuotaSandbox_LeavesNoMountLoopDeviceOrImage()
    {
        var sandbox = await fixture.CreateSandboxAsync(Small());
        await fixture.BashAsync(sandbox.Id, "echo data > /workspace/f");
        Assert.True(IsMounted(sandbox.Id));
        Assert.True(HasLoopDevice(sandbox.Id));

        var deleted = await fixture.Provider.DeleteAsync(sandbox.Id);

        Assert.True(deleted.Succeeded, deleted.Error?.ToString());
        Assert.False(IsMounted(sandbox.Id));
        Assert.False(await LoopDeviceLingersAsync(sandbox.Id));
        Assert.False(Directory.Exists(SandboxFolder(sandbox.Id)));
    }

    [Fact]
    public async Task Constructor_CrashedProcessLeftMountedSandbox_SweepRemovesMountLoopAndImage()
    {
        // A process that crashed after mounting but before registering leaves an unregistered, mounted sandbox folder.
        var sandbox = await fixture.CreateSandboxAsync(Small());
        new SandboxStore(Path.Combine(fixture.DataDirectory, "wfe.db")).Delete(sandbox.Id);
        Assert.True(IsMounted(sandbox.Id));

        fixture.Create();

        Assert.False(IsMounted(sandbox.Id));
        Assert.False(await LoopDeviceLingersAsync(sandbox.Id));
        Assert.False(Directory.Exists(SandboxFolder(sandbox.Id)));
    }

    [Fact]
    public async Task Exec_WorkspaceUnmountedAsAfterReboot_IsMountedAgainWithItsFiles()
    {
        var sandbox = await fixture.CreateSandboxAsync(Small());
        await fixture.BashAsync(sandbox.Id, "echo kept > /workspace/f");
        var stop = await fixture.Provider.StopAsync(sandbox.Id);
        Assert.True(stop.Succeeded, stop.Error?.ToString());
        Assert.Equal(0, (await Host.RunAsync("/usr/bin/umount", Path.Combine(SandboxFolder(sandbox.Id), "workspace"))).ExitCode);
        await fixture.Provider.StartAsync(sandbox.Id);

        var result = await fixture.BashAsync(sandbox.Id, "cat /workspace/f");

        Assert.Equal("kept\n", result.Stdout);
        Assert.True(IsMounted(sandbox.Id));
    }

    [Fact]
    public async Task CreateAsync_QuotasUnavailable_ExplicitDiskFailsAndDefaultSaysUnenforced()
    {
        var provider = fixture.Create(o => o.DiskQuota = false);

        var explicitDisk = await provider.CreateAsync(Small(inodes: null));
        var plain = await fixture.CreateSandboxAsync(provider: provider);

        Assert.False(explicitDisk.Succeeded);
        Assert.Equal(SandboxErrorKind.Unavailable, explicitDisk.Error!.Kind);
        Assert.Contains("disk quotas are unavailable: disabled by the DiskQuota option", explicitDisk.Error.Message);
        Assert.Contains("Leave the disk size out", explicitDisk.Error.Message);
        Assert.StartsWith("unavailable: disabled by the DiskQuota option", plain.DiskQuota);
        Assert.Null(plain.DiskUsedBytes);
        Assert.False(IsMounted(plain.Id));
    }

    private string SandboxFolder(string id) => Path.Combine(fixture.DataDirectory, "sandboxes", id);

    private bool IsMounted(string id) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == Path.Combine(SandboxFolder(id), "workspace"));

    /// <summary>
    /// Whether a loop device still holds the sandbox's image after a grace period. The kernel frees an auto-clearing loop
    /// device only once the last reference to its mount goes, and a sandbox process that was just killed (or its mount
    /// namespace) may still hold one when a busy machine answers the unmount lazily: gone soon is not a leak.
    /// </summary>
    private async Task<bool> LoopDeviceLingersAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (HasLoopDevice(id))
        {
            if (DateTime.UtcNow > deadline)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private bool HasLoopDevice(string id) =>
        Directory.EnumerateDirectories("/sys/block", "loop*")
            .Select(device => Path.Combine(device, "loop", "backing_file"))
            .Where(File.Exists)
            .Any(backing => File.ReadAllText(backing).StartsWith(SandboxFolder(id) + "/", StringComparison.Ordinal));

    /// <summary>Blocks allocated on the host disk under a folder, not counting a file system mounted inside (sparse files count only what was written).</summary>
    private static async Task<long> AllocatedBytesAsync(string folder)
    {
        var (exitCode, stdout, stderr) = await Host.RunAsync("/usr/bin/du", "-s", "-x", "-B1", folder);
        Assert.True(exitCode == 0, stderr);
        return long.Parse(stdout.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
