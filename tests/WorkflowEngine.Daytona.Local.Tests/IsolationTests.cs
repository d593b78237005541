using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WorkflowEngine.Daytona.Local.Isolation;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

/// <summary>What sandboxed code can and cannot see and do at L0 (root, bubblewrap, setpriv, cgroups, seccomp), and the limits.</summary>
public sealed class IsolationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Create_AsRoot_ReportsL0()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        Assert.Equal(IsolationLevel.L0, fixture.Provider.Isolation.Level);
        Assert.StartsWith("L0", sandbox.Isolation);
        Assert.Contains("seccomp", sandbox.Isolation);
    }

    [Fact]
    public async Task Exec_ListRoot_ShowsOnlySandboxFolders()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.BashAsync(sandbox.Id, "ls -1 / | tr '\\n' ' '");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("bin dev etc lib lib64 proc sbin tmp usr workspace ", result.Stdout);
    }

    [Fact]
    public async Task Exec_HostPaths_AreInvisible()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var checkout = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        Assert.True(Directory.Exists(checkout));

        var result = await fixture.BashAsync(sandbox.Id, "for p in \"$@\"; do if [ -e \"$p\" ]; then echo \"visible: $p\"; fi; done; echo done",
            arguments: ["/root", "/work", checkout, fixture.DataDirectory, "/etc/shadow", "/home", "/var", "/opt"]);

        Assert.Equal("done\n", result.Stdout);
    }

    [Fact]
    public async Task Exec_WriteUsr_FailsReadOnly()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.BashAsync(sandbox.Id, "touch /usr/wfe-test-file");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Read-only file system", result.Stderr);
        Assert.False(File.Exists("/usr/wfe-test-file"));
    }

    [Fact]
    public async Task Exec_WriteProcSys_Fails()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var before = await File.ReadAllTextAsync("/proc/sys/vm/swappiness");
        var value = before.Trim() == "37" ? "38" : "37";

        var result = await fixture.BashAsync(sandbox.Id, "echo \"$1\" > /proc/sys/vm/swappiness", arguments: [value]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches("Read-only file system|Permission denied", result.Stderr);
        Assert.Equal(before, await File.ReadAllTextAsync("/proc/sys/vm/swappiness"));
    }

    [Fact]
    public async Task Exec_TmpFile_IsGoneInNextExec()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var write = await fixture.BashAsync(sandbox.Id, "echo secret > /tmp/note && cat /tmp/note");
        var read = await fixture.BashAsync(sandbox.Id, "ls -A /tmp; test -e /tmp/note && echo present || echo absent");

        Assert.Equal("secret\n", write.Stdout);
        Assert.EndsWith("absent\n", read.Stdout);
        Assert.DoesNotContain("note", read.Stdout);
    }

    [Fact]
    public async Task Exec_ConnectToHostListener_IsRefused()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        const string code = """
            import socket, sys
            s = socket.socket()
            s.settimeout(5)
            try:
                s.connect(("127.0.0.1", int(sys.argv[1])))
                print("connected")
            except OSError as e:
                print("failed", type(e).__name__, e.errno)
            """;

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/usr/bin/python3", "-c", code, port.ToString(System.Globalization.CultureInfo.InvariantCulture)] });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.StartsWith("failed", result.Value!.Stdout);
        Assert.Matches("ConnectionRefusedError|Network is unreachable|errno 101|OSError 101", result.Value.Stdout);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task Exec_NetworkInterfaces_OnlyLoopback()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.BashAsync(sandbox.Id, "ls /sys/class/net 2>/dev/null || cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("lo", result.Stdout.Trim());
    }

    [Fact]
    public async Task Exec_Proc_ListsOnlyOwnProcesses()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.BashAsync(sandbox.Id, "for d in /proc/[0-9]*; do cat \"$d/comm\"; done");

        var names = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(names.Length, 1, 6);
        Assert.DoesNotContain(names, n => n.Contains("dotnet", StringComparison.Ordinal) || n == "testhost");
        Assert.Contains("bash", names);
    }

    [Fact]
    public async Task Exec_Identity_IsUid1000WithoutCapabilities()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.BashAsync(sandbox.Id, "id -u; id -g; whoami; grep -E '^(CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs):' /proc/self/status");

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal("1000", lines[0]);
        Assert.Equal("1000", lines[1]);
        Assert.Equal("sandbox", lines[2]);
        Assert.Contains("CapEff: 0000000000000000", lines);
        Assert.Contains("CapPrm: 0000000000000000", lines);
        Assert.Contains("CapInh: 0000000000000000", lines);
        Assert.Contains("CapAmb: 0000000000000000", lines);
        Assert.Contains("NoNewPrivs: 1", lines);
    }

    [Fact]
    public async Task Exec_NestedNamespace_IsRefused()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.BashAsync(sandbox.Id, "unshare -U -r true");

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Exec_HostEnvironment_IsInvisibleButSandboxVariablesAreSet()
    {
        Environment.SetEnvironmentVariable("WFE_TEST_SECRET", "x-host-secret");
        try
        {
            var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { EnvironmentVars = new Dictionary<string, string> { ["GREETING"] = "hello world" } });

            var result = await fixture.BashAsync(sandbox.Id, "env", environment: new Dictionary<string, string> { ["PER_COMMAND"] = "yes" });

            Assert.DoesNotContain("WFE_TEST_SECRET", result.Stdout);
            Assert.DoesNotContain("x-host-secret", result.Stdout);
            Assert.Contains("GREETING=hello world\n", result.Stdout);
            Assert.Contains("PER_COMMAND=yes\n", result.Stdout);
            Assert.Contains("HOME=/workspace\n", result.Stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WFE_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task Exec_MemoryHog_IsKilledAsOutOfMemory()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Resources = new SandboxResources { MemoryBytes = 64L * 1024 * 1024 } });
        var watch = Stopwatch.StartNew();

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "python", "b = bytearray(2 * 1024 * 1024 * 1024)\nprint('allocated', len(b))", TimeSpan.FromSeconds(60));

        Assert.True(result.Succeeded, result.Error?.ToString());
        var exec = result.Value!;
        Assert.True(exec.OutOfMemory, $"exit {exec.ExitCode}: {exec.Stderr}");
        Assert.Equal(137, exec.ExitCode);
        Assert.False(exec.TimedOut);
        Assert.DoesNotContain("allocated", exec.Stdout);
        Assert.NotNull(exec.KillReason);
        Assert.Contains("out of memory", exec.KillReason);
        Assert.Contains("64 MiB", exec.KillReason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Exec_ForkLoop_IsContainedByPidsLimit()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Resources = new SandboxResources { Pids = 32 } });
        const string code = """
            import errno, os, time
            ok = failed = other = 0
            for _ in range(200):
                try:
                    pid = os.fork()
                except OSError as e:
                    if e.errno == errno.EAGAIN:
                        failed += 1
                    else:
                        other += 1
                    continue
                if pid == 0:
                    time.sleep(30)
                    os._exit(0)
                ok += 1
            print(ok, failed, other)
            """;

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "python", code, TimeSpan.FromSeconds(60));

        Assert.True(result.Succeeded, result.Error?.ToString());
        var report = $"exit {result.Value!.ExitCode}, stdout '{result.Value.Stdout}', stderr '{result.Value.Stderr}'";
        var counts = result.Value.Stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Assert.True(counts.Length == 3, report);
        Assert.True(counts[0] is >= 1 and <= 31, report);
        Assert.True(counts[1] > 100, report);
        Assert.True(counts[2] == 0, report);

        // The sleeping children died with the command, and the sandbox (and host) still work.
        Assert.Equal(0, CommandProcessCount(sandbox.Id));
        var after = await fixture.BashAsync(sandbox.Id, "echo alive");
        Assert.Equal("alive\n", after.Stdout);
    }

    [Fact]
    public async Task Exec_Timeout_KillsCommandAndBackgroundChildren()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var watch = Stopwatch.StartNew();

        var result = await fixture.BashAsync(sandbox.Id, "(sleep 3; echo late > /workspace/marker) & setsid sh -c 'sleep 3; echo late > /workspace/marker2' & sleep 100",
            timeout: TimeSpan.FromSeconds(1));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.True(result.TimedOut);
        Assert.Equal(137, result.ExitCode);
        Assert.NotNull(result.KillReason);
        Assert.Contains("timeout", result.KillReason);
        Assert.Equal(0, CommandProcessCount(sandbox.Id));

        await Task.Delay(TimeSpan.FromSeconds(4));
        var files = await fixture.Provider.Files.ListAsync(sandbox.Id, "/workspace");
        Assert.True(files.Succeeded, files.Error?.ToString());
        Assert.Empty(files.Value!);
    }

    [Fact]
    public async Task Exec_HugeOutput_IsTruncated()
    {
        var provider = fixture.Create(o => o.MaxOutputBytes = 4096);
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);

        var result = await provider.Process.RunCodeAsync(sandbox.Id, "python", "import sys\nsys.stdout.write('x' * 5_000_000)\nsys.stderr.write('e' * 5_000_000)");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(0, result.Value!.ExitCode);
        Assert.True(result.Value.Truncated);
        Assert.Equal(4096, result.Value.Stdout.Length);
        Assert.Equal(4096, result.Value.Stderr.Length);
    }

    [Fact]
    public async Task Exec_FiftyMegabytesOfOutput_IsTruncatedAtDefaultLimit()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "python", "import sys\nfor _ in range(50):\n    sys.stdout.write('y' * 1_000_000)");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(0, result.Value!.ExitCode);
        Assert.True(result.Value.Truncated);
        Assert.Equal(1024 * 1024, result.Value.Stdout.Length);
    }

    [Fact]
    public async Task Exec_EndlessLoop_IsStoppedByTimeout()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "python", "while True:\n    pass", TimeSpan.FromSeconds(1));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.True(result.Value!.TimedOut);
        Assert.Equal(137, result.Value.ExitCode);
        Assert.Contains("killed: timeout after 1 s", result.Value.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Exec_FileOverDiskLimit_IsStopped()
    {
        // The per-file limit holds whether or not the sandbox has a disk quota (which is far larger here).
        var provider = fixture.Create(o => o.MaxFileBytes = 1024 * 1024);
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);

        var dd = await fixture.BashAsync(sandbox.Id, "dd if=/dev/zero of=/workspace/big bs=1M count=5", provider: provider);
        var python = await provider.Process.RunCodeAsync(sandbox.Id, "python", "open('/workspace/big2', 'wb').write(b'x' * 5 * 1024 * 1024)");

        Assert.Equal(153, dd.ExitCode);
        Assert.NotNull(dd.KillReason);
        Assert.Contains("file size limit", dd.KillReason);
        Assert.Contains("1 MiB", dd.KillReason);
        Assert.True(python.Succeeded, python.Error?.ToString());
        Assert.NotEqual(0, python.Value!.ExitCode);
        Assert.Contains("File too large", python.Value.Stderr);
        var info = await provider.Files.InfoAsync(sandbox.Id, "big");
        Assert.True(info.Succeeded, info.Error?.ToString());
        Assert.True(info.Value!.Size <= 1024 * 1024);
    }

    [Fact]
    public async Task Exec_CpuLimit_IsWrittenToCgroup()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Resources = new SandboxResources { Cpus = 0.5 } });

        Assert.Equal("50000", (await File.ReadAllTextAsync($"/sys/fs/cgroup/cpu/wfe/{sandbox.Id}/cpu.cfs_quota_us")).Trim());
        Assert.Equal(0.5, sandbox.Resources.Cpus);
    }

    /// <summary>Processes left in the sandbox's cgroup, not counting the idle standby the provider keeps for the next command.</summary>
    /// <summary>
    /// The command processes left in the sandbox's cgroup, waiting up to 3 s for killed ones to be reaped and for a
    /// standby that is being prepared to reach its recognisable command line (both take a moment on a busy machine).
    /// </summary>
    private static int CommandProcessCount(string id)
    {
        var procs = $"/sys/fs/cgroup/pids/wfe/{id}/cgroup.procs";
        Assert.True(File.Exists(procs), procs);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var count = File.ReadAllLines(procs).Where(l => l.Length > 0).Count(pid => !IsStandby(pid));
            if (count == 0 || deadline.Elapsed > TimeSpan.FromSeconds(3))
            {
                return count;
            }

            Thread.Sleep(50);
        }
    }

    private static bool IsStandby(string pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return commandLine.Contains("/usr/bin/bwrap") && commandLine.Contains("-S") && commandLine.Any(a => a.Contains("os.execvpe", StringComparison.Ordinal))
                || commandLine is ["/usr/bin/python3", "-I", "-S", "-c", ..];
        }
        catch (IOException)
        {
            return true; // gone already
        }
    }
}
