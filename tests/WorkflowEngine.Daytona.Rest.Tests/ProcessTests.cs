using WorkflowEngine.Daytona.Rest.Internal;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Tests;

public sealed class ProcessTests : IDisposable
{
    private readonly FakeDaytonaServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ExecAsync_CombinedResult_MapsExitCodeAndOutputAndSendsRequest()
    {
        var box = _server.Add("p");
        _server.Script("POST", $"/toolbox/{box.Id}/process/execute", new FakeResponse(200, """{"exitCode":3,"result":"hello\nwarn\n"}"""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.ExecAsync("p", new ExecRequest
        {
            Command = ["ls", "-la", "my dir"],
            WorkingDirectory = "/home/daytona/work",
            Environment = new Dictionary<string, string> { ["K"] = "v" },
            Timeout = TimeSpan.FromSeconds(2.5),
        });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(3, result.Value.ExitCode);
        Assert.Equal("hello\nwarn\n", result.Value.Stdout);
        Assert.Equal("", result.Value.Stderr);
        Assert.False(result.Value.TimedOut);
        var body = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/process/execute")).Json!;
        Assert.Equal("ls -la 'my dir'", body["command"]!.GetValue<string>());
        Assert.Equal("/home/daytona/work", body["cwd"]!.GetValue<string>());
        Assert.Equal(3, body["timeout"]!.GetValue<int>());
        Assert.Equal("v", body["envs"]!["K"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecAsync_SplitStreams_MapsStdoutAndStderr()
    {
        var box = _server.Add("s");
        _server.Script("POST", $"/toolbox/{box.Id}/process/execute", new FakeResponse(200, """{"exitCode":0,"result":"o\ne\n","stdout":"o\n","stderr":"e\n"}"""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.ExecAsync("s", new ExecRequest { Command = ["x"] });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(0, result.Value.ExitCode);
        Assert.Equal("o\n", result.Value.Stdout);
        Assert.Equal("e\n", result.Value.Stderr);
    }

    [Fact]
    public async Task ExecAsync_ArgvWithQuotesSubstitutionAndSpaces_RoundTripsThroughShell()
    {
        _server.Add("q");
        using var provider = TestProviders.Provider(_server);
        string[] words = ["it's", "\"double\"", "$(echo injected)", "`echo back`", "a  b", "", "semi;colon", "FOO=bar", "*", "new\nline", "back\\slash", "~"];

        var result = await provider.Process.ExecAsync("q", new ExecRequest { Command = ["printf", "[%s]\\n", .. words] });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(0, result.Value.ExitCode);
        Assert.Equal(string.Concat(words.Select(w => $"[{w}]\n")), result.Value.Stdout);
    }

    [Fact]
    public async Task ExecAsync_StandardInput_IsPipedIntact()
    {
        _server.Add("in");
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.ExecAsync("in", new ExecRequest { Command = ["cat"], StandardInput = "it's $(x)\nline 2" });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("it's $(x)\nline 2", result.Value.Stdout);
    }

    [Fact]
    public async Task ExecAsync_Server408_ReturnsTimedOutResult()
    {
        var box = _server.Add("t");
        _server.Script("POST", $"/toolbox/{box.Id}/process/execute", new FakeResponse(408, FakeDaytonaServer.Error(408, "command execution timeout", "/process/execute")));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.ExecAsync("t", new ExecRequest { Command = ["sleep", "10"], Timeout = TimeSpan.FromSeconds(1) });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.True(result.Value.TimedOut);
        Assert.Equal(137, result.Value.ExitCode);
    }

    [Fact]
    public async Task ExecAsync_Server408WithoutTimeout_TimeoutError()
    {
        var box = _server.Add("t2");
        _server.Script("POST", $"/toolbox/{box.Id}/process/execute", new FakeResponse(408, ""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.ExecAsync("t2", new ExecRequest { Command = ["true"] });

        Assert.Equal(SandboxErrorKind.Timeout, result.Error!.Kind);
    }

    [Fact]
    public async Task ExecAsync_Server503_IsNotRetried()
    {
        var box = _server.Add("n");
        var path = $"/toolbox/{box.Id}/process/execute";
        _server.Script("POST", path, new FakeResponse(503, ""), new FakeResponse(200, """{"exitCode":0,"result":"x"}"""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.ExecAsync("n", new ExecRequest { Command = ["echo"] });

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Single(_server.RequestsTo("POST", path));
    }

    [Fact]
    public async Task ExecAsync_StaleCachedSandbox_LooksUpAgainOnce()
    {
        var old = _server.Add("re");
        _server.Script("POST", $"/toolbox/{old.Id}/process/execute", new FakeResponse(404, FakeDaytonaServer.Error(404, "sandbox not found", "/process/execute")));
        using var provider = TestProviders.Provider(_server);
        Assert.True((await provider.GetAsync("re")).Succeeded);
        old.Name = "re-old";
        var replacement = _server.Add("re");

        var result = await provider.Process.ExecAsync("re", new ExecRequest { Command = ["echo", "new"] });

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("new\n", result.Value.Stdout);
        Assert.Single(_server.RequestsTo("POST", $"/toolbox/{replacement.Id}/process/execute"));
    }

    [Fact]
    public async Task ExecAsync_EmptyCommand_InvalidArgument()
    {
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.ExecAsync("x", new ExecRequest { Command = [] });

        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task RunCodeAsync_Python_PostsCodeRunAndMapsResult()
    {
        var box = _server.Add("c");
        var path = $"/toolbox/{box.Id}/process/code-run";
        _server.Script("POST", path, new FakeResponse(200, """{"exitCode":0,"result":"42\n","artifacts":{"charts":[]}}"""));
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.RunCodeAsync("c", "Python", "print(6*7)", TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("42\n", result.Value.Stdout);
        var body = Assert.Single(_server.RequestsTo("POST", path)).Json!;
        Assert.Equal("python", body["language"]!.GetValue<string>());
        Assert.Equal("print(6*7)", body["code"]!.GetValue<string>());
        Assert.Equal(30, body["timeout"]!.GetValue<int>());
    }

    [Fact]
    public async Task RunCodeAsync_Bash_UsesExecuteWithBashC()
    {
        var box = _server.Add("b");
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.RunCodeAsync("b", "bash", "echo \"$((6*7))\"");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("42\n", result.Value.Stdout);
        var body = Assert.Single(_server.RequestsTo("POST", $"/toolbox/{box.Id}/process/execute")).Json!;
        Assert.StartsWith("bash -c ", body["command"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCodeAsync_UnknownLanguage_InvalidArgument()
    {
        _server.Add("u");
        using var provider = TestProviders.Provider(_server);

        var result = await provider.Process.RunCodeAsync("u", "cobol", "DISPLAY 'X'.");

        Assert.Equal(SandboxErrorKind.InvalidArgument, result.Error!.Kind);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(x)", "'$(x)'")]
    [InlineData("FOO=bar", "'FOO=bar'")]
    [InlineData("/usr/bin/env", "/usr/bin/env")]
    public void Quote_Argument_IsPosixQuoted(string argument, string expected)
    {
        Assert.Equal(expected, ShellQuoting.Quote(argument));
    }
}
