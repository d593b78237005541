using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WorkflowEngine.Cli.Tests.Support;

namespace WorkflowEngine.Cli.Tests;

/// <summary><c>wfe serve</c> in a child process, and <c>wfe run --backend daytona</c> against it.</summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private const string Request = "Create a Python sandbox named demo, write app.py that prints hello, run it, and commit it with message 'first version'";
    private readonly Wfe _wfe = new();

    public void Dispose() => _wfe.Dispose();

    [Fact]
    public async Task Run_FullDevelopmentCycleWithBackendDaytona_GivesTheSameReportAsLocal()
    {
        await using var server = await ServeAsync("test-key");

        var (localExit, localOut, localErr) = await _wfe.RunAsync("run", "full_development_cycle", Request);
        var (remoteExit, remoteOut, remoteErr) = await _wfe.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["DAYTONA_API_URL"] = server.ApiUrl, ["DAYTONA_API_KEY"] = "test-key" },
            "run", "full_development_cycle", Request, "--backend", "daytona");

        Assert.True(localExit == 0, localErr);
        Assert.True(remoteExit == 0, remoteErr);
        Assert.Contains("Output:\nhello\n", remoteOut, StringComparison.Ordinal);
        Assert.Matches("Commit: [0-9a-f]{40} \"first version\"", remoteOut);
        Assert.Equal(Normalize(localOut), Normalize(remoteOut));
        var (_, list, _) = await _wfe.RunAsync("sandbox", "ls", "--json");
        Assert.Equal("[]", list.Trim());
    }

    [Fact]
    public async Task Serve_RequestWithoutTheKey_Gets401WithDaytonaErrorBody()
    {
        await using var server = await ServeAsync("right-key");
        using var http = new HttpClient();

        using var anonymous = await http.GetAsync(server.ApiUrl + "/sandbox");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, server.ApiUrl + "/sandbox") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key") } };
        using var wrongResponse = await http.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Get, server.ApiUrl + "/sandbox") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "right-key") } };
        using var rightResponse = await http.SendAsync(right);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("\"statusCode\":401", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
        Assert.Contains("\"items\":[]", await rightResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BackendDaytonaWithWrongKey_FailsWithOneClearMessage()
    {
        await using var server = await ServeAsync("right-key");

        var (exit, stdout, stderr) = await _wfe.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["DAYTONA_API_URL"] = server.ApiUrl, ["DAYTONA_API_KEY"] = "wrong-key" },
            "run", "full_development_cycle", Request, "--backend", "daytona");

        var all = stdout + stderr;
        Assert.Contains("Invalid credentials", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", stdout, StringComparison.Ordinal);
        _ = exit;
    }

    [Fact]
    public async Task Serve_GitRoot_ClonesLocalRepositoriesOnlyBeneathIt()
    {
        var root = Directory.CreateDirectory(Path.Combine(_wfe.Home, "..", "wfe-git-root-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            var repository = Path.Combine(root, "repo");
            Directory.CreateDirectory(repository);
            await File.WriteAllTextAsync(Path.Combine(repository, "README.md"), "hello\n");
            string[][] steps = [["init", "--quiet"], ["add", "README.md"], ["commit", "--quiet", "-m", "initial"]];
            foreach (var args in steps)
            {
                var (exit, _, error) = await RunGitAsync(repository, args);
                Assert.True(exit == 0, error);
            }

            await using var server = await ServeAsync("git-key", "--git-root", root);
            using var http = new HttpClient { DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "git-key") } };
            using var created = await http.PostAsync(server.ApiUrl + "/sandbox", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            var toolbox = server.ApiUrl[..^"/api".Length] + $"/toolbox/{id}/git/clone";

            using var inside = await http.PostAsync(toolbox, Json(new { url = repository, path = "inside" }));
            using var outside = await http.PostAsync(toolbox, Json(new { url = Wfe.RepositoryRoot, path = "outside" }));

            Assert.True(inside.StatusCode == HttpStatusCode.OK, await inside.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
            Assert.Contains("--git-root", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("/proc/1")]
    [InlineData("/etc/ssl")]
    public async Task Serve_BadGitRoot_ExitsWithTheProblem(string root)
    {
        var (exit, _, stderr) = await _wfe.RunAsync("serve", "--port", "0", "--api-key", "k", "--git-root", root);

        Assert.Equal(2, exit);
        Assert.Contains("GitRoots", stderr, StringComparison.Ordinal);
    }

    private static StringContent Json(object value) => new(System.Text.Json.JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunGitAsync(string directory, string[] arguments)
    {
        var info = new ProcessStartInfo("/usr/bin/git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in new[] { "-c", "user.name=Host", "-c", "user.email=host@example.com", "-c", "init.defaultBranch=main" }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sandbox ids, commit hashes and durations differ between runs, and the isolation line names the backend; everything else must match.</summary>
    private static string Normalize(string report) =>
        Duration().Replace(Isolation().Replace(CommitHash().Replace(SandboxId().Replace(report, "<sandbox>"), "<commit>"), "isolation <backend>"), "<duration> s");

    private async Task<ServeProcess> ServeAsync(string apiKey, params string[] options)
    {
        var process = Process.Start(_wfe.StartInfo(new Dictionary<string, string>(), ["serve", "--port", "0", "--api-key", apiKey, .. options]))!;
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
        var url = first is null ? null : ApiUrlLine().Match(first);
        if (url is not { Success: true })
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"wfe serve did not print its URL; first line: {first}; stderr: {await process.StandardError.ReadToEndAsync()}");
        }

        return new ServeProcess(process, url.Groups[1].Value);
    }

    [GeneratedRegex("^Daytona-compatible API: (http://127\\.0\\.0\\.1:[0-9]+/api)$")]
    private static partial Regex ApiUrlLine();

    [GeneratedRegex("[0-9]+(\\.[0-9]+)? s\\b")]
    private static partial Regex Duration();

    [GeneratedRegex("isolation [^\\n]*")]
    private static partial Regex Isolation();

    [GeneratedRegex("\\b[0-9a-f]{40}\\b")]
    private static partial Regex CommitHash();

    [GeneratedRegex("sandbox-[0-9a-f]{8,}")]
    private static partial Regex SandboxId();

    /// <summary>A running <c>wfe serve</c>; disposing stops it.</summary>
    private sealed class ServeProcess(Process process, string apiUrl) : IAsyncDisposable
    {
        public string ApiUrl { get; } = apiUrl;

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
