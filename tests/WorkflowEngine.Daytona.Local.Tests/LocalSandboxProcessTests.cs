using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

public sealed class LocalSandboxProcessTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly string[] TypeScriptRunners = ["/usr/bin/tsx", "/usr/local/bin/tsx", "/usr/bin/ts-node", "/usr/local/bin/ts-node"];

    [Fact]
    public async Task RunCode_Python_PrintsOutput()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "python", "import os; print('hi', os.getuid(), os.getcwd())");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("hi 1000 /workspace\n", result.Value!.Stdout);
        Assert.Equal(0, result.Value.ExitCode);
        Assert.False(result.Value.TimedOut);
        Assert.Null(result.Value.KillReason);
    }

    [Fact]
    public async Task RunCode_JavaScript_PrintsOutput()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Language = "javascript" });

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "javascript", "console.log('js', 6 * 7, process.cwd())");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("js 42 /workspace\n", result.Value!.Stdout);
        Assert.Equal(0, result.Value.ExitCode);
    }

    [Fact]
    public async Task RunCode_Bash_PrintsOutput()
    {
        var sandbox = await fixture.CreateSandboxAsync(new SandboxSpec { Language = "bash" });

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "bash", "echo \"$((6 * 7)) $(pwd)\"; echo err >&2");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("42 /workspace\n", result.Value!.Stdout);
        Assert.Equal("err\n", result.Value.Stderr);
    }

    [Fact]
    public async Task RunCode_TypeScriptWithoutRunner_IsUnavailable()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "typescript", "const x: number = 1; console.log(x)");

        if (TypeScriptRunners.Any(File.Exists))
        {
            Assert.True(result.Succeeded, result.Error?.ToString());
            return;
        }

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Unavailable, result.Error!.Kind);
        Assert.Contains("not available", result.Error.Message);
    }

    [Fact]
    public async Task RunCode_UnknownLanguage_IsInvalidArgument()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "cobol", "DISPLAY 'HI'.");

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
        Assert.Contains("cobol", result.Error.Message);
    }

    [Fact]
    public async Task RunCode_LargeCode_RunsThroughStandardInput()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var code = new StringBuilder("import sys\n");
        for (var i = 0; i < 3000; i++)
        {
            code.Append("x_").Append(i).Append(" = ").Append(i).Append("  # padding to make the program large\n");
        }

        code.Append("print(sys.argv[0], x_2999)\n");
        Assert.True(code.Length > 100_000);

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "python", code.ToString());

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("- 2999\n", result.Value!.Stdout);
    }

    [Fact]
    public async Task RunCode_LargeBashScript_RunsThroughStandardInput()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var script = "# " + new string('x', 120_000) + "\necho big-script-ran\n";

        var result = await fixture.Provider.Process.RunCodeAsync(sandbox.Id, "bash", script);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("big-script-ran\n", result.Value!.Stdout);
    }

    [Fact]
    public async Task Exec_ExitCode_IsPropagated()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.BashAsync(sandbox.Id, "echo before; exit 42");

        Assert.Equal(42, result.ExitCode);
        Assert.Equal("before\n", result.Stdout);
        Assert.False(result.TimedOut);
        Assert.False(result.OutOfMemory);
    }

    [Fact]
    public async Task Exec_StandardInput_ReachesCommand()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/usr/bin/wc", "-l"], StandardInput = "a\nb\nc\n" });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("3", result.Value!.Stdout.Trim());
    }

    [Fact]
    public async Task Exec_Arguments_ArePassedVerbatimWithoutShell()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        const string tricky = "$(id) `whoami` ; rm -rf / 'quoted' \"double\" \n second line";

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/usr/bin/printf", "%s", tricky] });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(tricky, result.Value!.Stdout);
    }

    [Fact]
    public async Task Exec_WorkingDirectory_Subfolder_IsUsed()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        Assert.True((await fixture.Provider.Files.CreateDirectoryAsync(sandbox.Id, "sub/dir")).Succeeded);

        var relative = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/pwd"], WorkingDirectory = "sub/dir" });
        var absolute = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/pwd"], WorkingDirectory = "/workspace/sub" });

        Assert.Equal("/workspace/sub/dir\n", relative.Value!.Stdout);
        Assert.Equal("/workspace/sub\n", absolute.Value!.Stdout);
    }

    [Fact]
    public async Task Exec_WorkingDirectory_Missing_IsNotFound()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/pwd"], WorkingDirectory = "/workspace/nope" });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.NotFound, result.Error!.Kind);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("/workspace/../etc")]
    [InlineData("/workspaces")]
    public async Task Exec_WorkingDirectory_OutsideWorkspace_IsInvalidArgument(string directory)
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/pwd"], WorkingDirectory = directory });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
    }

    [Theory]
    [InlineData("1BAD")]
    [InlineData("A=B")]
    [InlineData("HAS SPACE")]
    [InlineData("")]
    public async Task Exec_BadEnvironmentName_IsInvalidArgument(string name)
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/usr/bin/env"], Environment = new Dictionary<string, string> { [name] = "x" } });

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
    }

    [Fact]
    public async Task Exec_EnvironmentValue_IsPassedVerbatim()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        const string value = "a b $(id) 'q' \"d\" ;\nnext";

        var result = await fixture.BashAsync(sandbox.Id, "printf %s \"$WEIRD\"", environment: new Dictionary<string, string> { ["WEIRD"] = value });

        Assert.Equal(value, result.Stdout);
    }

    [Fact]
    public async Task Exec_EmptyCommand_IsInvalidArgument()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = [] });

        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
    }

    [Fact]
    public async Task Exec_NonPositiveTimeout_IsInvalidArgument()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/true"], Timeout = TimeSpan.Zero });

        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
    }

    [Fact]
    public async Task Exec_UnknownSandbox_IsNotFound()
    {
        var result = await fixture.Provider.Process.ExecAsync("sandbox-000000000000", new ExecRequest { Command = ["/bin/true"] });

        Assert.Equal(SandboxErrorKind.NotFound, result.Error!.Kind);
    }

    [Fact]
    public async Task Exec_MissingProgram_ReportsNonZeroExit()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/usr/bin/does-not-exist"] });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.NotEqual(0, result.Value!.ExitCode);
        Assert.Contains("does-not-exist", result.Value.Stderr);
    }

    [Fact]
    public async Task Exec_Cancellation_StopsCommand()
    {
        var sandbox = await fixture.CreateSandboxAsync();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/sleep", "100"] }, cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(3601)]
    [InlineData(2147483647)]
    [InlineData(-1)]
    public async Task Exec_TimeoutOverMaxCommandTimeout_IsInvalidArgumentNamingTheMaximum(long seconds)
    {
        var sandbox = await fixture.CreateSandboxAsync();
        var timeout = seconds < 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/true"], Timeout = timeout });

        Assert.False(result.Succeeded, $"a timeout of {timeout} was accepted");
        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
        Assert.Contains("MaxCommandTimeout", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("3600 s", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_TimeoutAtMaxCommandTimeout_Runs()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        var result = await fixture.Provider.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["/bin/true"], Timeout = TimeSpan.FromHours(1) });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(0, result.Value!.ExitCode);
    }
}
