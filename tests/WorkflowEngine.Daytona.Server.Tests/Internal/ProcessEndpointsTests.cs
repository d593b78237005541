using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

public sealed class ProcessEndpointsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private async Task<HttpResponseMessage> PostAsync(string route, object body) =>
        await fixture.Client.PostAsJsonAsync(ServerFixture.Toolbox(await fixture.SharedSandboxAsync(), route), body);

    [Fact]
    public async Task Execute_NonZeroExit_Returns200WithExitCodeAndOutput()
    {
        var marker = Guid.NewGuid().ToString("N");

        using var response = await PostAsync("process/execute", new { command = $"echo {marker}; exit 3" });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(3, body.GetProperty("exitCode").GetInt32());
        Assert.Equal(marker, body.GetProperty("result").GetString()!.Trim());
    }

    [Fact]
    public async Task Execute_StdoutAndStderr_AreCombinedInResult()
    {
        using var response = await PostAsync("process/execute", new { command = "echo to-stdout; echo to-stderr >&2" });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        var result = body.GetProperty("result").GetString()!;
        Assert.Equal(0, body.GetProperty("exitCode").GetInt32());
        Assert.Contains("to-stdout", result, StringComparison.Ordinal);
        Assert.Contains("to-stderr", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ShellSyntax_RunsInTheSandboxShell()
    {
        using var response = await PostAsync("process/execute", new { command = "x=6; echo $((x * 7)) | tr 2 Z && false || echo fallback" });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(["4Z", "fallback"], body.GetProperty("result").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Execute_NoCwd_RunsInWorkspace()
    {
        var (exitCode, result) = await fixture.ExecAsync(await fixture.SharedSandboxAsync(), "pwd");

        Assert.Equal(0, exitCode);
        Assert.Equal("/workspace", result.Trim());
    }

    [Fact]
    public async Task Execute_RelativeCwd_ResolvesUnderWorkspace()
    {
        var id = await fixture.SharedSandboxAsync();
        var folder = "cwd-" + Guid.NewGuid().ToString("N")[..8] + "/inner";
        Assert.Equal(0, (await fixture.ExecAsync(id, $"mkdir -p {folder}")).ExitCode);

        var (exitCode, result) = await fixture.ExecAsync(id, "pwd", cwd: folder);
        var (absoluteExit, absolute) = await fixture.ExecAsync(id, "pwd", cwd: "/workspace/" + folder);

        Assert.Equal(0, exitCode);
        Assert.Equal("/workspace/" + folder, result.Trim());
        Assert.Equal(0, absoluteExit);
        Assert.Equal("/workspace/" + folder, absolute.Trim());
    }

    [Fact]
    public async Task Execute_MissingCwd_ReturnsClientError()
    {
        using var response = await PostAsync("process/execute", new { command = "pwd", cwd = "no-such-folder-" + Guid.NewGuid().ToString("N")[..8] });

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Execute_Envs_AreVisibleToTheCommandVerbatim()
    {
        var value = "spaces and $dollar 'quotes' \"double\"";

        using var response = await PostAsync("process/execute", new { command = "printf '%s|%s' \"$GREETING\" \"$OTHER\"", envs = new Dictionary<string, string> { ["GREETING"] = value, ["OTHER"] = "2" } });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal($"{value}|2", body.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Execute_Timeout_Returns408WithProcessExecutionTimeoutCode()
    {
        var watch = Stopwatch.StartNew();

        using var response = await PostAsync("process/execute", new { command = "sleep 20", timeout = 1 });

        watch.Stop();
        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.RequestTimeout, "PROCESS_EXECUTION_TIMEOUT");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the timeout did not stop the command ({watch.Elapsed})");
    }

    [Fact]
    public async Task Execute_ZeroTimeout_MeansNoTimeout()
    {
        using var response = await PostAsync("process/execute", new { command = "sleep 1; echo done", timeout = 0 });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("done", body.GetProperty("result").GetString()!.Trim());
    }

    [Theory]
    [InlineData("{\"command\":\"\"}")]
    [InlineData("{\"command\":\"   \"}")]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("{\"command\":")]
    public async Task Execute_EmptyOrInvalidBody_Returns400ToolboxError(string json)
    {
        var id = await fixture.SharedSandboxAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync(ServerFixture.Toolbox(id, "process/execute"), content);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Execute_UnknownSandbox_Returns404ToolboxError()
    {
        using var response = await fixture.Client.PostAsJsonAsync(ServerFixture.Toolbox("sandbox-000000000000", "process/execute"), new { command = "true" });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Execute_HostSecrets_AreNotReadable()
    {
        var (exitCode, result) = await fixture.ExecAsync(await fixture.SharedSandboxAsync(), "cat /etc/shadow");

        Assert.NotEqual(0, exitCode);
        var hostShadow = await File.ReadAllTextAsync("/etc/shadow");
        var rootEntry = hostShadow.Split('\n').First(line => line.StartsWith("root:", StringComparison.Ordinal));
        Assert.DoesNotContain(rootEntry, result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_HostPaths_AreNotVisible()
    {
        var id = await fixture.SharedSandboxAsync();
        // The repository this test runs from, the test binaries and the provider's data folder all exist on the host.
        var hostPaths = new[] { AppContext.BaseDirectory.TrimEnd('/'), FindRepositoryRoot(), fixture.DataDirectory, fixture.SandboxFolder(id) };
        Assert.All(hostPaths, path => Assert.True(Directory.Exists(path), path));

        foreach (var path in hostPaths)
        {
            var (exitCode, result) = await fixture.ExecAsync(id, $"ls -d '{path}'");
            Assert.True(exitCode != 0, $"the sandbox sees host path {path}: {result}");
        }
    }

    [Fact]
    public async Task CodeRun_Python_ReturnsItsOutput()
    {
        var numbers = Enumerable.Range(1, 10).ToList();

        using var response = await PostAsync("process/code-run", new { language = "python", code = $"import sys\nprint(sum([{string.Join(',', numbers)}]))\nsys.stderr.write('warn\\n')" });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(0, body.GetProperty("exitCode").GetInt32());
        var result = body.GetProperty("result").GetString()!;
        Assert.Contains(numbers.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture), result, StringComparison.Ordinal);
        Assert.Contains("warn", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeRun_PythonWithArgvAndEnvs_PassesThem()
    {
        using var response = await PostAsync("process/code-run", new
        {
            language = "python",
            code = "import os, sys\nprint('|'.join(sys.argv[1:]))\nprint(os.environ['COLOR'])",
            argv = new[] { "alpha", "beta" },
            envs = new Dictionary<string, string> { ["COLOR"] = "teal" },
        });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(["alpha|beta", "teal"], body.GetProperty("result").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CodeRun_PythonError_ReturnsNonZeroExitAndTraceback()
    {
        using var response = await PostAsync("process/code-run", new { language = "python", code = "raise ValueError('boom-42')" });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.NotEqual(0, body.GetProperty("exitCode").GetInt32());
        Assert.Contains("ValueError: boom-42", body.GetProperty("result").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeRun_JavaScriptWithArgv_PassesArguments()
    {
        using var response = await PostAsync("process/code-run", new { language = "javascript", code = "console.log(process.argv.slice(-2).join('+'))", argv = new[] { "one", "two" } });

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("one+two", body.GetProperty("result").GetString()!.Trim());
    }

    [Fact]
    public async Task CodeRun_Timeout_Returns408()
    {
        using var response = await PostAsync("process/code-run", new { language = "python", code = "import time\ntime.sleep(20)", timeout = 1 });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.RequestTimeout, "PROCESS_EXECUTION_TIMEOUT");
    }

    [Theory]
    [InlineData("{\"code\":\"print(1)\",\"language\":\"cobol\"}")]
    [InlineData("{\"code\":\"print(1)\"}")]
    [InlineData("{\"language\":\"python\"}")]
    public async Task CodeRun_MissingOrUnsupportedFields_Returns400(string json)
    {
        var id = await fixture.SharedSandboxAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync(ServerFixture.Toolbox(id, "process/code-run"), content);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WorkflowEngine.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("WorkflowEngine.sln not found above the test binaries");
    }

    [Theory]
    [InlineData("process/execute", "{\"command\":\"touch MARK\",\"timeout\":2147483647}", "3600 s")]
    [InlineData("process/execute", "{\"command\":\"touch MARK\",\"timeout\":3601}", "3600 s")]
    [InlineData("process/execute", "{\"command\":\"touch MARK\",\"timeout\":-5}", "timeout")]
    [InlineData("process/execute", "{\"command\":\"touch MARK\",\"timeout\":1e30}", "timeout")]
    [InlineData("process/execute", "{\"command\":\"touch MARK\",\"timeout\":\"soon\"}", "timeout")]
    [InlineData("process/code-run", "{\"language\":\"python\",\"code\":\"open('MARK','w')\",\"timeout\":2147483647}", "3600 s")]
    [InlineData("process/code-run", "{\"language\":\"python\",\"code\":\"open('MARK','w')\",\"timeout\":-1}", "timeout")]
    public async Task Execute_TimeoutOutOfRange_Returns400NamingTheLimitAndNothingRuns(string route, string json, string named)
    {
        var sandbox = await fixture.SharedSandboxAsync();
        var marker = "t-" + Guid.NewGuid().ToString("N");
        using var content = new StringContent(json.Replace("MARK", marker, StringComparison.Ordinal), Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync(ServerFixture.Toolbox(sandbox, route), content);

        var body = await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, listing) = await fixture.ExecAsync(sandbox, "ls");
        Assert.DoesNotContain(marker, listing, StringComparison.Ordinal);
    }
}
