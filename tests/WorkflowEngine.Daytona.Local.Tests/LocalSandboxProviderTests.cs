using WorkflowEngine.Daytona.Local.Isolation;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

public sealed class LocalSandboxProviderTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly string[] CgroupDirectories = ["memory", "pids", "cpu", "unified"];

    [Fact]
    public async Task CreateAsync_Defaults_ReturnsStartedSandboxWithIdAndLimits()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Labels = new Dictionary<string, string> { ["team"] = "qa" }, Image = "python:3.12" });

        Assert.Matches("^sandbox-[0-9a-f]{12}$", sandbox.Id);
        Assert.Matches("^python-[0-9a-f]{6}$", sandbox.Name);
        Assert.Equal("python", sandbox.Language);
        Assert.Equal("started", sandbox.State);
        Assert.False(sandbox.Persistent);
        Assert.False(sandbox.Network);
        Assert.Equal("qa", sandbox.Labels["team"]);
        Assert.Equal("python:3.12", sandbox.Image);
        Assert.Equal(512L * 1024 * 1024, sandbox.Resources.MemoryBytes);
        Assert.Equal(256, sandbox.Resources.Pids);
        Assert.Equal(1, sandbox.Resources.Cpus);
        Assert.Equal(TimeSpan.FromHours(1), sandbox.IdleTtl);
        Assert.True(Directory.Exists(Path.Combine(fixture.DataDirectory, "sandboxes", sandbox.Id, "workspace")));
        Assert.Equal((512L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await File.ReadAllTextAsync($"/sys/fs/cgroup/memory/wfe/{sandbox.Id}/memory.limit_in_bytes")).Trim());
        Assert.Equal("256", (await File.ReadAllTextAsync($"/sys/fs/cgroup/pids/wfe/{sandbox.Id}/pids.max")).Trim());
    }

    [Fact]
    public async Task CreateAsync_Persistent_UsesPersistentTtl()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Persistent = true, Language = "JavaScript" });

        Assert.True(sandbox.Persistent);
        Assert.Equal("javascript", sandbox.Language);
        Assert.Equal(TimeSpan.FromDays(7), sandbox.IdleTtl);
    }

    [Fact]
    public async Task CreateAsync_IdsAreUnique()
    {
        var first = await fixture.CreateSandboxAsync();
        var second = await fixture.CreateSandboxAsync();

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Name, second.Name);
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_IsConflict()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateSandboxAsync(new SandboxSpec { Name = name });

        var second = await fixture.Provider.CreateAsync(new SandboxSpec { Name = name });

        Assert.False(second.Succeeded);
        Assert.Equal(SandboxErrorKind.Conflict, second.Error!.Kind);
        Assert.Contains(name, second.Error.Message);
        Assert.Single((await fixture.Provider.ListAsync()).Value!, s => s.Name == name);
    }

    [Fact]
    public async Task CreateAsync_InvalidSpec_IsInvalidArgumentListingEveryProblem()
    {
        var created = await fixture.Provider.CreateAsync(new SandboxSpec
        {
            Language = "cobol",
            Name = "bad name!",
            EnvironmentVars = new Dictionary<string, string> { ["1BAD"] = "x" },
            Resources = new SandboxResources { MemoryBytes = 1024 },
        });

        Assert.False(created.Succeeded);
        Assert.Equal(SandboxErrorKind.InvalidArgument, created.Error!.Kind);
        Assert.Contains("cobol", created.Error.Message);
        Assert.Contains("bad name!", created.Error.Message);
        Assert.Contains("1BAD", created.Error.Message);
        Assert.Contains("16 MiB", created.Error.Message);
    }

    [Fact]
    public async Task CreateAsync_ReservedNamePrefix_IsInvalidArgument()
    {
        var created = await fixture.Provider.CreateAsync(new SandboxSpec { Name = "sandbox-123456789abc" });

        Assert.Equal(SandboxErrorKind.InvalidArgument, created.Error!.Kind);
    }

    [Fact]
    public async Task GetAsync_ByIdAndName_FindsSandbox()
    {
        var name = "findme-" + Guid.NewGuid().ToString("N")[..8];
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Name = name });

        var byId = await fixture.Provider.GetAsync(sandbox.Id);
        var byName = await fixture.Provider.GetAsync(name);
        var missing = await fixture.Provider.GetAsync("missing-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal(sandbox.Id, byId.Value!.Id);
        Assert.Equal(sandbox.Id, byName.Value!.Id);
        Assert.Equal(SandboxErrorKind.NotFound, missing.Error!.Kind);
    }

    [Fact]
    public async Task SecondProvider_SameDataDirectory_ListsAndUsesSandbox()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Name = "shared-" + Guid.NewGuid().ToString("N")[..8] });
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "shared.txt", "from first"u8.ToArray());

        var second = fixture.Create();
        var listed = await second.ListAsync();
        var result = await second.Process.ExecAsync(sandbox.Name, new ExecRequest { Command = ["/bin/cat", "shared.txt"] });

        Assert.Contains(listed.Value!, s => s.Id == sandbox.Id);
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("from first", result.Value!.Stdout);

        // The first provider's sandbox still works after the second started (the start-up sweep left it alone).
        var again = await fixture.BashAsync(sandbox.Id, "echo still-here");
        Assert.Equal("still-here\n", again.Stdout);
    }

    [Fact]
    public async Task ProviderInOtherDataDirectory_LeavesThisProvidersSandboxesRunning()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        using var other = new TempDirectory("wfe-test-other-");

        _ = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = other.Path });
        var result = await fixture.BashAsync(sandbox.Id, "echo alive");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("alive\n", result.Stdout);
        Assert.True(Directory.Exists($"/sys/fs/cgroup/pids/wfe/{sandbox.Id}"));
    }

    [Fact]
    public async Task StopAsync_ThenExec_IsConflictUntilStarted()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "kept.txt", "kept"u8.ToArray());

        var stopped = await fixture.Provider.StopAsync(sandbox.Id);
        var stateWhileStopped = (await fixture.Provider.GetAsync(sandbox.Id)).Value!.State;
        var whileStopped = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/true"] });
        var started = await fixture.Provider.StartAsync(sandbox.Id);
        var afterStart = await fixture.BashAsync(sandbox.Id, "cat kept.txt");

        Assert.Equal("stopped", stopped.Value!.State);
        Assert.Equal("stopped", stateWhileStopped);
        Assert.Equal(SandboxErrorKind.Conflict, whileStopped.Error!.Kind);
        Assert.Equal("started", started.Value!.State);
        Assert.Equal("kept", afterStart.Stdout);
    }

    [Fact]
    public async Task StopAsync_RunningCommand_IsKilled()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var running = fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/sleep", "100"] }).AsTask();
        // Wait for the sleep itself: a standby process may already sit in the cgroup before the command starts.
        for (var i = 0; i < 400 && !SleepIsRunning(sandbox.Id); i++)
        {
            await Task.Delay(25);
        }

        await fixture.Provider.StopAsync(sandbox.Id);
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(137, result.Value!.ExitCode);
    }

    [Fact]
    public async Task DeleteAsync_RemovesWorkspaceCgroupsAndRecord()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        await fixture.Provider.Files.WriteAsync(sandbox.Id, "x/y.txt", new byte[10]);
        await fixture.BashAsync(sandbox.Id, "echo used");
        var folder = Path.Combine(fixture.DataDirectory, "sandboxes", sandbox.Id);
        Assert.All(CgroupDirectories, c => Assert.True(Directory.Exists($"/sys/fs/cgroup/{c}/wfe/{sandbox.Id}"), c));

        var deleted = await fixture.Provider.DeleteAsync(sandbox.Id);

        Assert.True(deleted.Succeeded, deleted.Error?.ToString());
        Assert.False(Directory.Exists(folder));
        Assert.All(CgroupDirectories, c => Assert.False(Directory.Exists($"/sys/fs/cgroup/{c}/wfe/{sandbox.Id}"), c));
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.GetAsync(sandbox.Id)).Error!.Kind);
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.DeleteAsync(sandbox.Id)).Error!.Kind);
    }

    [Fact]
    public async Task DeleteAsync_ByName_Works()
    {
        var name = "byname-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateSandboxAsync(new SandboxSpec { Name = name });

        Assert.True((await fixture.Provider.DeleteAsync(name)).Succeeded);
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.GetAsync(name)).Error!.Kind);
    }

    [Fact]
    public async Task Exec_AfterCgroupsVanished_RecreatesThem()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Resources = new SandboxResources { Pids = 40 } });

        // What a reboot does: every process (the idle standby included) is gone, and so are the cgroups.
        foreach (var controller in CgroupDirectories)
        {
            var directory = $"/sys/fs/cgroup/{controller}/wfe/{sandbox.Id}";
            for (var attempt = 0; Directory.Exists(directory); attempt++)
            {
                foreach (var pid in File.ReadAllLines(Path.Combine(directory, "cgroup.procs")).Where(l => l.Length > 0))
                {
                    try
                    {
                        System.Diagnostics.Process.GetProcessById(int.Parse(pid)).Kill();
                    }
                    catch (ArgumentException)
                    {
                    }
                }

                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException) when (attempt < 500)
                {
                    await Task.Delay(5);
                }
            }
        }

        var result = await fixture.BashAsync(sandbox.Id, "echo back");

        Assert.Equal("back\n", result.Stdout);
        Assert.Equal("40", (await File.ReadAllTextAsync($"/sys/fs/cgroup/pids/wfe/{sandbox.Id}/pids.max")).Trim());
    }

    [Fact]
    public async Task Prune_SandboxPastIdleTtl_IsRemoved()
    {
        var keep = await fixture.CreateSandboxAsync();
        var shortLived = fixture.Create(o => o.EphemeralIdleTtl = TimeSpan.FromMilliseconds(1));
        var expiring = await fixture.CreateSandboxAsync(provider: shortLived);
        await Task.Delay(50);

        var pruned = shortLived.Prune();

        Assert.Contains(expiring.Id, pruned);
        Assert.DoesNotContain(keep.Id, pruned);
        Assert.Equal(SandboxErrorKind.NotFound, (await fixture.Provider.GetAsync(expiring.Id)).Error!.Kind);
        Assert.False(Directory.Exists(Path.Combine(fixture.DataDirectory, "sandboxes", expiring.Id)));
        Assert.False(Directory.Exists($"/sys/fs/cgroup/pids/wfe/{expiring.Id}"));
        Assert.True((await fixture.Provider.GetAsync(keep.Id)).Succeeded);
    }

    [Fact]
    public async Task CreateAsync_BwrapMissing_IsUnavailableWithInstallHint()
    {
        using var data = new TempDirectory("wfe-test-nobwrap-");
        var provider = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = data.Path, BwrapPath = "/nonexistent/bwrap" });

        var created = await provider.CreateAsync(new SandboxSpec());

        Assert.Equal(IsolationLevel.Unavailable, provider.Isolation.Level);
        Assert.False(created.Succeeded);
        Assert.Equal(SandboxErrorKind.Unavailable, created.Error!.Kind);
        Assert.Contains("apt-get install -y bubblewrap", created.Error.Message);
        Assert.Contains("isolation: none", created.Error.Message);
        Assert.Empty((await provider.ListAsync()).Value!);
    }

    [Fact]
    public async Task CreateAsync_BwrapMissingAndNoIsolationAllowed_ReportsNone()
    {
        using var data = new TempDirectory("wfe-test-none-");
        var provider = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = data.Path, BwrapPath = "/nonexistent/bwrap", AllowNoIsolation = true });

        var created = await provider.CreateAsync(new SandboxSpec());
        Assert.True(created.Succeeded, created.Error?.ToString());
        var result = await provider.Process.RunCodeAsync(created.Value!.Id, "python", "import os; print(os.path.basename(os.getcwd()))");

        Assert.Equal(IsolationLevel.None, provider.Isolation.Level);
        Assert.Equal("none", created.Value.Isolation);
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("workspace\n", result.Value!.Stdout);
        Assert.True((await provider.DeleteAsync(created.Value.Id)).Succeeded);
    }

    [Fact]
    public async Task Exec_L0SandboxFromProviderWithoutIsolation_IsRefused()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var unisolated = fixture.Create(o =>
        {
            o.BwrapPath = "/nonexistent/bwrap";
            o.AllowNoIsolation = true;
        });

        var result = await unisolated.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/true"] });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Unavailable, result.Error!.Kind);
        Assert.Contains(sandbox.Isolation, result.Error.Message);
    }

    [Theory]
    [InlineData("memory", "MaxMemoryBytes", "8 GiB")]
    [InlineData("memory-huge", "MaxMemoryBytes", "8 GiB")]
    [InlineData("cpus", "MaxCpus", "4")]
    [InlineData("cpus-nan", "MaxCpus", "4")]
    [InlineData("cpus-infinite", "MaxCpus", "4")]
    [InlineData("pids", "MaxPids", "4096")]
    [InlineData("disk", "MaxDiskBytes", "20 GiB")]
    [InlineData("disk-huge", "MaxDiskBytes", "20 GiB")]
    public async Task CreateAsync_ResourceOverItsMaximum_InvalidArgumentNamingTheMaximumAndNothingCreated(string field, string option, string maximum)
    {
        var name = "over-" + Guid.NewGuid().ToString("N")[..8];
        var resources = field switch
        {
            "memory" => new SandboxResources { MemoryBytes = 8L * 1024 * 1024 * 1024 + 1 },
            "memory-huge" => new SandboxResources { MemoryBytes = long.MaxValue },
            "cpus" => new SandboxResources { Cpus = 64 },
            "cpus-nan" => new SandboxResources { Cpus = double.NaN },
            "cpus-infinite" => new SandboxResources { Cpus = double.PositiveInfinity },
            "pids" => new SandboxResources { Pids = 1_000_000 },
            "disk" => new SandboxResources { DiskBytes = 20L * 1024 * 1024 * 1024 + 1 },
            _ => new SandboxResources { DiskBytes = long.MaxValue },
        };

        var created = await fixture.Provider.CreateAsync(new SandboxSpec { Name = name, Resources = resources });

        Assert.False(created.Succeeded, $"{field} was accepted");
        Assert.Equal(SandboxErrorKind.InvalidArgument, created.Error!.Kind);
        Assert.Contains(option, created.Error.Message, StringComparison.Ordinal);
        Assert.Contains(maximum, created.Error.Message, StringComparison.Ordinal);
        Assert.False((await fixture.Provider.GetAsync(name)).Succeeded);
    }

    [Fact]
    public async Task CreateAsync_ResourcesAtTheirMaxima_AreAccepted()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec
        {
            Resources = new SandboxResources { MemoryBytes = 8L * 1024 * 1024 * 1024, Cpus = 4, Pids = 4096 },
        });

        Assert.Equal(8L * 1024 * 1024 * 1024, sandbox.Resources.MemoryBytes);
        Assert.Equal(4, sandbox.Resources.Cpus);
        Assert.Equal(4096, sandbox.Resources.Pids);
    }

    [Fact]
    public async Task CreateAsync_PooledSandboxClaimedWithMoreMemory_GetsThatLimit()
    {
        using var own = new SandboxFixture();
        var provider = own.Create(o => o.PrewarmDelay = TimeSpan.Zero);
        await own.CreateSandboxAsync(provider: provider);
        var sandboxes = Path.Combine(own.DataDirectory, "sandboxes");
        // The refill runs in the background: wait (generously) for the prepared sandbox's folder and cgroup.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? pooled = null;
        while (pooled is null && DateTime.UtcNow < deadline)
        {
            // Its last cgroup write (the CPU quota) comes just before the pool hands it out.
            pooled = Directory.GetDirectories(sandboxes).Select(Path.GetFileName)
                .FirstOrDefault(id => !provider.GetAsync(id!).AsTask().GetAwaiter().GetResult().Succeeded
                    && File.Exists($"/sys/fs/cgroup/cpu/wfe/{id}/cpu.cfs_quota_us")
                    && File.ReadAllText($"/sys/fs/cgroup/cpu/wfe/{id}/cpu.cfs_quota_us").Trim() == "100000");
            await Task.Delay(50);
        }

        Assert.NotNull(pooled);

        var sandbox = await own.CreateSandboxAsync(new SandboxSpec { Resources = new SandboxResources { MemoryBytes = 2L * 1024 * 1024 * 1024 } }, provider);

        Assert.Equal(2L * 1024 * 1024 * 1024, sandbox.Resources.MemoryBytes);
        Assert.Equal((2L * 1024 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await File.ReadAllTextAsync($"/sys/fs/cgroup/memory/wfe/{sandbox.Id}/memory.limit_in_bytes")).Trim());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateAsync_MoreThanMaxSandboxes_LimitExceededNamingTheMaximumAndNothingCreated(bool warmPool)
    {
        using var own = new SandboxFixture();
        var provider = own.Create(o =>
        {
            o.MaxSandboxes = 2;
            o.WarmPool = warmPool;
        });
        var first = await own.CreateSandboxAsync(provider: provider);
        await own.CreateSandboxAsync(new SandboxSpec { Persistent = true }, provider);
        await provider.StopAsync(first.Id);

        var third = await provider.CreateAsync(new SandboxSpec { Name = "third" });

        Assert.False(third.Succeeded, "a third sandbox was created");
        Assert.Equal(SandboxErrorKind.LimitExceeded, third.Error!.Kind);
        Assert.Contains("MaxSandboxes", third.Error.Message, StringComparison.Ordinal);
        Assert.Contains("2", third.Error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await provider.ListAsync()).Value!.Count);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(own.DataDirectory, "sandboxes")).Count(d => !IsPooled(provider, d)));

        // Deleting one makes room again.
        await provider.DeleteAsync(first.Id);
        await own.CreateSandboxAsync(new SandboxSpec { Name = "third" }, provider);
    }

    [Fact]
    public async Task CreateAsync_ConcurrentCreatesPastMaxSandboxes_NeverHoldMoreThanTheMaximum()
    {
        using var own = new SandboxFixture();
        var provider = own.Create(o => o.MaxSandboxes = 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await provider.CreateAsync(new SandboxSpec()))));

        Assert.Equal(3, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(SandboxErrorKind.LimitExceeded, r.Error!.Kind));
        Assert.Equal(3, (await provider.ListAsync()).Value!.Count);
    }

    private static bool IsPooled(LocalSandboxProvider provider, string directory) =>
        !provider.GetAsync(Path.GetFileName(directory)).AsTask().GetAwaiter().GetResult().Succeeded;

    private static bool SleepIsRunning(string sandboxId) =>
        File.ReadAllLines($"/sys/fs/cgroup/pids/wfe/{sandboxId}/cgroup.procs")
            .Where(pid => pid.Length > 0)
            .Any(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains("/bin/sleep");
                }
                catch (IOException)
                {
                    return false;
                }
            });
}
