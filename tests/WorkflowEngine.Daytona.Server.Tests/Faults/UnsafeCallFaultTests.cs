using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Tests.Faults;

/// <summary>
/// Faults on a call that must never be sent twice (<c>process/execute</c>): the command appends a line to a file, so
/// the file, read straight from the local provider, says how often it really ran.
/// </summary>
public sealed class UnsafeCallFaultTests : IClassFixture<FaultRig>
{
    private readonly FaultRig _rig;

    public UnsafeCallFaultTests(FaultRig rig)
    {
        _rig = rig;
        _rig.Reset();
    }

    [FaultTheory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task ExecAsync_ConnectionDropped_FailsOnceAndNeverResends(bool serverRanIt, int expectedRuns)
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var (path, log, request) = AppendCommand(sandbox);
        await WarmUpAsync(sandbox);
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", path))
            {
                return false;
            }

            if (serverRanIt)
            {
                await _rig.ForwardThenAbortAsync(context);
            }
            else
            {
                context.Abort();
            }

            return true;
        };

        var result = await _rig.Client.Process.ExecAsync(sandbox.Id, request);

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Connection, result.Error.Kind);
        Assert.StartsWith($"Failed to execute command in sandbox {sandbox.Id}: the connection to Daytona at {_rig.Proxy.BaseUrl.GetLeftPart(UriPartial.Authority)} was lost", result.Error.Message, StringComparison.Ordinal);
        SafeCallFaultTests.AssertNoExceptionText(result.Error.Message);
        Assert.Equal(1, _rig.Proxy.Count("POST", path));
        Assert.Equal(expectedRuns, await RunsAsync(sandbox, log));
    }

    [FaultFact]
    public async Task ExecAsync_SlowResponsePastTimeout_TimeoutAndSentOnce()
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var (path, log, request) = AppendCommand(sandbox);
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", path))
            {
                return false;
            }

            await _rig.ForwardThenDelayAsync(context, FaultRig.RequestTimeout + TimeSpan.FromSeconds(1));
            return true;
        };

        var result = await _rig.Client.Process.ExecAsync(sandbox.Id, request);

        Assert.False(result.Succeeded);
        Assert.Equal(SandboxErrorKind.Timeout, result.Error.Kind);
        Assert.Equal($"Failed to execute command in sandbox {sandbox.Id}: the request timed out after {FaultRig.RequestTimeout.TotalSeconds:0.###} s", result.Error.Message);
        Assert.Equal(1, _rig.Proxy.Count("POST", path));
        Assert.Equal(1, await RunsAsync(sandbox, log));
    }

    [FaultFact]
    public async Task ExecAsync_503_NotRetried()
    {
        var sandbox = await _rig.SharedSandboxAsync();
        var (path, log, request) = AppendCommand(sandbox);
        _rig.Proxy.Intercept = async (context, _) =>
        {
            if (!SafeCallFaultTests.Is(context, "POST", path))
            {
                return false;
            }

            await FaultRig.RespondAsync(context, 503);
            return true;
        };

        var result = await _rig.Client.Process.ExecAsync(sandbox.Id, request);

        Assert.Equal(SandboxErrorKind.Failed, result.Error!.Kind);
        Assert.Equal($"Failed to execute command in sandbox {sandbox.Id}: Service Unavailable (HTTP 503)", result.Error.Message);
        Assert.Equal(1, _rig.Proxy.Count("POST", path));
        Assert.Equal(0, await RunsAsync(sandbox, log));
    }

    /// <summary>A command that appends one line to its own log file, and the toolbox path it goes to.</summary>
    private static (string Path, string Log, ExecRequest Request) AppendCommand(SandboxInfo sandbox)
    {
        var log = $"/workspace/runs-{Guid.NewGuid().ToString("N")[..8]}.log";
        return ($"/toolbox/{sandbox.Id}/process/execute", log, new ExecRequest { Command = ["bash", "-c", $"echo ran >> {log}"] });
    }

    /// <summary>
    /// A call that succeeds first, so the client holds a pooled (kept-alive) connection to the proxy when the fault
    /// hits — the case in which an HTTP stack may quietly resend a request whose connection died.
    /// </summary>
    private async Task WarmUpAsync(SandboxInfo sandbox)
    {
        var warm = await _rig.Client.Process.ExecAsync(sandbox.Id, new ExecRequest { Command = ["true"] });
        Assert.True(warm.Succeeded, warm.Error?.ToString());
        _rig.Proxy.Clear();
    }

    /// <summary>How many times the command ran: the lines of its log (0 when it never ran).</summary>
    private async Task<int> RunsAsync(SandboxInfo sandbox, string log)
    {
        var exists = await _rig.Local.Files.InfoAsync(sandbox.Id, log);
        return exists.Succeeded ? (await _rig.ReadLocalAsync(sandbox.Id, log)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length : 0;
    }
}
