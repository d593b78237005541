using System.Diagnostics;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests.Isolation;

/// <summary>What a sandboxed process learns about the host from its own process tree: nothing of the data folder, the caller's folder or environment.</summary>
public sealed class SandboxExecutorTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Marker = "WFE_TEST_HOST_MARKER";
    private const string MarkerValue = "host-marker-7c1e";

    // Everything a process can read about pid 1 and itself; `cat /proc/$$/stat` first, to tell which process ran it.
    // The section markers are assembled at run time, so that the script itself (shown in pid 1's command line) holds none.
    private const string Probe = """
        cat /proc/$$/stat
        m='='
        echo "$m$m$m pid 1 environ"; tr '\0' '\n' < /proc/1/environ
        echo "$m$m$m pid 1 cmdline"; tr '\0' '\n' < /proc/1/cmdline
        echo "$m$m$m self environ"; tr '\0' '\n' < /proc/$$/environ
        echo "$m$m$m env"; env
        echo "$m$m$m mountinfo"; cat /proc/self/mountinfo
        echo "$m$m$m fds"; ls -l /proc/$$/fd /proc/1/fd 2>&1
        """;

    [Fact]
    public async Task Exec_ColdStart_ShowsNoHostPathOrEnvironment()
    {
        var provider = fixture.Create(o =>
        {
            o.MaxStandbys = 0;
            o.WarmPool = false;
        });
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { EnvironmentVars = new Dictionary<string, string> { ["API_TOKEN"] = "sandbox-value" } }, provider);

        var output = await RunProbeAsync(sandbox.Id, provider);

        AssertNoHostInformation(output);
    }

    [Fact]
    public async Task Exec_ThroughStandby_ShowsNoHostPathOrEnvironment()
    {
        var provider = fixture.Create();
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { EnvironmentVars = new Dictionary<string, string> { ["API_TOKEN"] = "sandbox-value" } }, provider);

        // A standby counts as ready once the provider has read its announcement, a moment after its process shows: a
        // command sent in between starts cold (and a new standby follows it), so try again until one ran through a standby.
        for (var attempt = 0; ; attempt++)
        {
            var standbyStart = WaitForStandbyStartTime(sandbox.Id);
            var output = await RunProbeAsync(sandbox.Id, provider);
            AssertNoHostInformation(output);

            // The command replaced the standby's process (same start time): it ran through the standby.
            if (StartTime(output.Split('\n')[0]) == standbyStart)
            {
                return;
            }

            Assert.True(attempt < 10, "No command ran through a standby in 10 attempts.");
        }
    }

    [Fact]
    public async Task Exec_DescriptorTheHostLeftOpen_DoesNotReachSandbox()
    {
        var provider = fixture.Create(o =>
        {
            o.MaxStandbys = 0;
            o.WarmPool = false;
        });
        var sandbox = await fixture.CreateSandboxAsync(provider: provider);

        // A descriptor without close-on-exec, as a parent process may leave one to wfe.
        var leaked = open(fixture.DataDirectory, 0 /* O_RDONLY */, 0);
        Assert.True(leaked > 2);
        try
        {
            var result = await provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/usr/bin/ls", "/proc/self/fd"] });

            // 3 is the folder ls itself opens to list.
            Assert.Equal("0\n1\n2\n3\n", result.Value!.Stdout);
        }
        finally
        {
            close(leaked);
        }
    }

    [Fact]
    public async Task Exec_EnvironmentValueWithNul_IsInvalidArgument()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest
        {
            Command = ["/usr/bin/env"],
            Environment = new Dictionary<string, string> { ["SMUGGLE"] = "x\0--bind\0/\0/host" },
        });

        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error?.Kind);
        Assert.Contains("NUL", result.Error!.Message);
    }

    private async Task<string> RunProbeAsync(string sandboxId, LocalSandboxProvider provider)
    {
        Environment.SetEnvironmentVariable(Marker, MarkerValue);
        try
        {
            var result = await fixture.BashAsync(sandboxId, Probe, provider: provider);
            Assert.Equal(0, result.ExitCode);
            return result.Stdout;
        }
        finally
        {
            Environment.SetEnvironmentVariable(Marker, null);
        }
    }

    private void AssertNoHostInformation(string output)
    {
        var sections = output.Split("=== ");
        Assert.Equal("pid 1 environ\n", Assert.Single(sections, s => s.StartsWith("pid 1 environ", StringComparison.Ordinal)));
        Assert.Contains("API_TOKEN=sandbox-value", Assert.Single(sections, s => s.StartsWith("self environ", StringComparison.Ordinal)));
        Assert.Contains("API_TOKEN=sandbox-value", Assert.Single(sections, s => s.StartsWith("env\n", StringComparison.Ordinal)));

        // The workspace is the root of its own file system (the disk quota's image), so its mount line names no host folder either.
        var checkedText = output;
        var forbidden = new[] { fixture.DataDirectory, Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable("PWD"), Marker, MarkerValue, "WFE_" }
            .OfType<string>().Where(s => s.Length > 1);
        foreach (var text in forbidden)
        {
            Assert.DoesNotContain(text, checkedText);
        }
    }

    /// <summary>Waits for the sandbox's standby (its python stub waiting for a header) and returns its start time.</summary>
    private static string WaitForStandbyStartTime(string sandboxId)
    {
        var procs = $"/sys/fs/cgroup/pids/wfe/{sandboxId}/cgroup.procs";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var pid in File.ReadAllLines(procs).Where(l => l.Length > 0))
            {
                try
                {
                    if (File.ReadAllText($"/proc/{pid}/cmdline").Split('\0') is ["/usr/bin/python3", "-I", "-S", "-c", ..])
                    {
                        return StartTime(File.ReadAllText($"/proc/{pid}/stat"));
                    }
                }
                catch (IOException)
                {
                    // Gone meanwhile.
                }
            }

            Thread.Sleep(20);
        }

        Assert.Fail("No standby started within 30 s.");
        return "";
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags, int mode);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    /// <summary>Field 22 of <c>/proc/&lt;pid&gt;/stat</c>, counted after the parenthesised command name.</summary>
    private static string StartTime(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
}
