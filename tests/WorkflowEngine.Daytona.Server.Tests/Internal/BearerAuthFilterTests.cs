using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

public sealed class BearerAuthFilterTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, string> ApiRoutes => new()
    {
        { "GET", "api/sandbox" },
        { "POST", "api/sandbox" },
        { "GET", "api/sandbox/some-name" },
        { "DELETE", "api/sandbox/some-name" },
        { "POST", "api/sandbox/some-name/start" },
        { "POST", "api/sandbox/some-name/stop" },
        { "GET", "api/sandbox/some-name/toolbox-proxy-url" },
    };

    public static TheoryData<string, string> ToolboxRoutes => new()
    {
        { "POST", "process/execute" },
        { "POST", "process/code-run" },
        { "GET", "files?path=." },
        { "GET", "files/download?path=a.txt" },
        { "POST", "files/upload-v2?path=a.txt" },
        { "POST", "files/bulk-download" },
        { "GET", "git/status?path=." },
        { "DELETE", "git/branches" },
    };

    [Theory]
    [MemberData(nameof(ApiRoutes))]
    public async Task ApiRoute_NoAuthorization_Returns401ApiError(string method, string route)
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), route));

        await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer", "wrong-key")]
    [InlineData("Bearer", ServerFixture.ApiKey + "x")]
    [InlineData("Bearer", "")]
    [InlineData("Basic", ServerFixture.ApiKey)]
    public async Task ApiRoute_WrongCredentials_Returns401ApiError(string scheme, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/sandbox");
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}".TrimEnd());
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        using var response = await client.SendAsync(request);

        var body = await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Unauthorized", body.GetProperty("error").GetString());
    }

    [Theory]
    [MemberData(nameof(ToolboxRoutes))]
    public async Task ToolboxRoute_NoAuthorization_Returns401ToolboxError(string method, string route)
    {
        var id = await fixture.SharedSandboxAsync();
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), ServerFixture.Toolbox(id, route)));

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task ToolboxRoute_UnknownSandboxWithoutAuthorization_Returns401BeforeLookup()
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        using var response = await client.PostAsJsonAsync(ServerFixture.Toolbox("no-such-sandbox", "process/execute"), new { command = "true" });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Execute_WrongKey_Returns401AndDoesNotRunTheCommand()
    {
        var id = await fixture.SharedSandboxAsync();
        var marker = "unauthorized-" + Guid.NewGuid().ToString("N")[..8];
        var intruder = fixture.NewClient("not-the-key");

        using var response = await intruder.PostAsJsonAsync(ServerFixture.Toolbox(id, "process/execute"), new { command = $"touch /workspace/{marker}" });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        using var info = await fixture.Client.GetAsync(ServerFixture.Toolbox(id, "files/info?path=" + marker));
        await HttpAssert.ExpectToolboxErrorAsync(info, HttpStatusCode.NotFound, "FILE_NOT_FOUND");
    }

    [Fact]
    public async Task CreateSandbox_WrongKey_Returns401AndCreatesNothing()
    {
        var name = "unauth-" + Guid.NewGuid().ToString("N")[..8];
        var intruder = fixture.NewClient("not-the-key");

        using var response = await intruder.PostAsJsonAsync("api/sandbox", new { name });

        await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.Unauthorized);
        using var lookup = await fixture.Client.GetAsync("api/sandbox/" + name);
        await HttpAssert.ExpectApiErrorAsync(lookup, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApiRoute_LowercaseBearerScheme_IsAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/sandbox");
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", ServerFixture.ApiKey);
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseUrl };

        using var response = await client.SendAsync(request);

        await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
    }
}
