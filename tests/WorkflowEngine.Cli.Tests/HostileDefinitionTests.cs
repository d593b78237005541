using System.Diagnostics;
using System.Text;
using WorkflowEngine.Cli.Tests.Support;

namespace WorkflowEngine.Cli.Tests;

/// <summary>
/// Hostile definition files given to the real <c>wfe</c>: each must end in a clear error, never in a stack overflow,
/// an out-of-memory crash or a hang. The child process runs with a capped GC heap and a deadline, so that the old
/// behaviour fails these tests quickly instead of taking the machine down.
/// </summary>
public sealed class HostileDefinitionTests : IDisposable
{
    private static readonly Dictionary<string, string> BoundedMemory = new()
    {
        // 768 MiB: far more than a refused file needs, far less than an expanding one takes.
        ["DOTNET_GCHeapHardLimit"] = "0x30000000",
    };

    private readonly Wfe _wfe = new();

    public void Dispose() => _wfe.Dispose();

    [Fact]
    public async Task Validate_HundredThousandNestedBrackets_ErrorAtTheLineInsteadOfStackOverflow()
    {
        var file = await WriteAsync("deep.yaml", "workflows: " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        var (exit, stdout, stderr) = await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", file);

        Assert.True(exit == 1, $"exit {exit}: {Tail(stderr)}");
        Assert.Contains($"{file}:1:{"workflows: ".Length + 64}: error: Mappings and lists nest more than 64 levels deep here.", stdout);
        Assert.DoesNotContain("Stack overflow", stderr);
    }

    [Fact]
    public async Task Validate_BillionLaughs_ErrorAtTheAliasWithBoundedMemory()
    {
        var yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            yaml.Append($"a{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat($"*a{level - 1}", 10)).Append("]\n");
        }

        yaml.Append("workflows:\n  w:\n    steps:\n      - id: s\n        agent: echo\n        input: *a9\n");
        var file = await WriteAsync("bomb.yaml", yaml.ToString());

        var (exit, stdout, stderr) = await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", file);

        Assert.True(exit == 1, $"exit {exit}: {Tail(stderr)}");
        Assert.Matches($@"{file}:5:\d+: error: Aliases expand to more than 100,000 nodes", stdout);
        Assert.Contains("WorkflowEngineOptions.MaxYamlAliasNodes", stdout);
    }

    [Fact]
    public async Task Validate_DevZero_RefusedAsNotARegularFile()
    {
        var (exit, stdout, stderr) = await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", "/dev/zero");

        Assert.True(exit == 1, $"exit {exit}: {Tail(stderr)}");
        Assert.Contains("/dev/zero:1:1: error: '/dev/zero' is a character device, not a regular file.", stdout);
    }

    [Fact]
    public async Task Validate_Fifo_RefusedWithoutWaitingForAWriter()
    {
        var fifo = Path.Combine(_wfe.Home, "pipe.yaml");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (exit, stdout, stderr) = await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", fifo);

        Assert.True(exit == 1, $"exit {exit}: {Tail(stderr)}");
        Assert.Contains($"{fifo}:1:1: error: '{fifo}' is a FIFO, not a regular file.", stdout);
    }

    [Fact]
    public async Task Validate_FileOverTheSizeCap_ErrorNamingTheOption()
    {
        var line = "# " + new string('x', 1021) + "\n";
        var file = await WriteAsync("huge.yaml", string.Concat(Enumerable.Repeat(line, 11 * 1024)));

        var (exit, stdout, stderr) = await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", file);

        Assert.True(exit == 1, $"exit {exit}: {Tail(stderr)}");
        Assert.Contains($"{file}:1:1: error: '{file}' is 11 MiB, more than the 10 MiB a definition file may have.", stdout);
        Assert.Contains("WorkflowEngineOptions.MaxDefinitionFileBytes", stdout);
    }

    [Fact]
    public async Task ValidateAndRun_WorkflowsCallingEachOther_CycleReportedAtTheStepsInsteadOfRunningForever()
    {
        var file = await WriteAsync("cycle.yaml", """
            agents:
              - { id: echo, agent_type: builtin, builtin: echo }
            workflows:
              a:
                steps:
                  - id: call_b
                    workflow: b
              b:
                steps:
                  - id: call_a
                    workflow: a
            """);

        var (validateExit, validateOut, _) = await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", file);
        var (runExit, _, runErr) = await RunBoundedAsync(TimeSpan.FromSeconds(60), "run", "a", "hi", "--agents", "builtin", "--path", file);

        Assert.Equal(1, validateExit);
        Assert.Contains($"{file}:7:9: error: Workflow cycle: a → b → a ('a' step 'call_b' at {file}:7:9, 'b' step 'call_a' at {file}:11:9).", validateOut);
        Assert.True(runExit == 1, $"exit {runExit}: {Tail(runErr)}");
        Assert.Contains("Workflow cycle: a → b → a", runErr);
        Assert.True(runErr.Length < 4000, $"{runErr.Length} characters of errors");
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_wfe.Home, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>Runs wfe with a capped heap; past the deadline it is killed and the test fails with what it printed.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunBoundedAsync(TimeSpan deadline, params string[] arguments)
    {
        using var process = Process.Start(_wfe.StartInfo(BoundedMemory, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"wfe {string.Join(' ', arguments)} did not finish within {deadline.TotalSeconds} s. Stderr: {Tail(await stderr)}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
