using System.Net;
using System.Text;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

public sealed class BodyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ReadAsync_JsonOverTheLimit_413ToolboxErrorAndNothingRuns()
    {
        var sandbox = await fixture.SharedSandboxAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        // A valid request whose command is padded past 16 MiB with a shell comment.
        var json = "{\"command\":\"touch " + marker + " #" + new string('x', 17 * 1024 * 1024) + "\"}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync(ServerFixture.Toolbox(sandbox, "process/execute"), content);

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("bulk-upload", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, listing) = await fixture.ExecAsync(sandbox, "ls");
        Assert.DoesNotContain(marker, listing, StringComparison.Ordinal);
    }
}
