using System.Net;
using System.Net.Sockets;
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

    [Fact]
    public async Task ReadAsync_ChunkedJsonOverTheLimit_413BeforeTheWholeBodyIsSent()
    {
        var sandbox = await fixture.SharedSandboxAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        // 128 MiB of valid JSON in chunks, with no Content-Length: only counting what is read can stop it. A raw
        // socket, because HttpClient reports a broken pipe instead of an answer that arrives while it still sends.
        const long Total = 128L * 1024 * 1024;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Server.BaseUrl.Host, fixture.Server.BaseUrl.Port, deadline.Token);
        var stream = tcp.GetStream();
        var head = $"POST /{ServerFixture.Toolbox(sandbox, "process/execute")} HTTP/1.1\r\nHost: {fixture.Server.BaseUrl.Authority}\r\n"
            + $"Authorization: Bearer {ServerFixture.ApiKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), deadline.Token);
        var answer = ReadToEndAsync(stream, deadline.Token);

        long sent = 0;
        var filler = new byte[64 * 1024];
        Array.Fill(filler, (byte)'x');
        var first = Encoding.UTF8.GetBytes("{\"command\":\"touch " + marker + " #");
        first.CopyTo(filler, 0);
        try
        {
            while (sent < Total && !answer.IsCompleted)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{filler.Length:x}\r\n"), deadline.Token);
                await stream.WriteAsync(filler, deadline.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), deadline.Token);
                sent += filler.Length;
                Array.Fill(filler, (byte)'x', 0, first.Length);
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes("2\r\n\"}\r\n0\r\n\r\n"), deadline.Token);
        }
        catch (IOException)
        {
            // The server closed the connection after answering: what it refuses to read, it need not drain.
        }

        var response = await answer;

        Assert.StartsWith("HTTP/1.1 413 ", response, StringComparison.Ordinal);
        Assert.Contains("16 MiB", response, StringComparison.Ordinal);
        Assert.Contains("bulk-upload", response, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"PAYLOAD_TOO_LARGE\"", response, StringComparison.Ordinal);
        // The server stopped reading at the cap: it answered long before the client had sent the whole body
        // (what was sent is the cap plus what socket buffers hold).
        Assert.True(sent < Total / 2, $"the client had sent {sent} of {Total} bytes when answered");
        var (_, listing) = await fixture.ExecAsync(sandbox, "ls");
        Assert.DoesNotContain(marker, listing, StringComparison.Ordinal);
    }

    /// <summary>Everything the server sends until it closes the connection, as text.</summary>
    private static async Task<string> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset after the answer: keep what arrived.
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }
}
