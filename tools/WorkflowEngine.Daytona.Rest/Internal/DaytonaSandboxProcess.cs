using System.Diagnostics;
using System.Net;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Commands and code through the toolbox: <c>POST {toolboxProxyUrl}/{id}/process/execute</c> and
/// <c>/process/code-run</c>. Neither is ever retried. The daemon combines stdout and stderr into <c>result</c>,
/// so <see cref="ExecResult.Stdout"/> carries both and <see cref="ExecResult.Stderr"/> is empty unless a daemon splits them.
/// </summary>
internal sealed class DaytonaSandboxProcess(DaytonaSandboxProvider provider) : ISandboxProcess
{
    private static readonly TimeSpan HttpGrace = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public async ValueTask<SandboxResult<ExecResult>> ExecAsync(string sandbox, ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (provider.Check(sandbox) is { } error)
        {
            return error;
        }

        if (request.Command.Count == 0 || string.IsNullOrEmpty(request.Command[0]))
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument, "the command is empty");
        }

        var command = ShellQuoting.Join(request.Command);
        if (request.StandardInput is { } input)
        {
            // The execute endpoint has no stdin; feed the text through a pipe, quoted like any argument.
            command = $"printf '%s' {ShellQuoting.Quote(input)} | {command}";
        }

        var body = new ExecuteRequestDto
        {
            Command = command,
            Cwd = string.IsNullOrWhiteSpace(request.WorkingDirectory) ? null : request.WorkingDirectory,
            Envs = request.Environment.Count == 0 ? null : new Dictionary<string, string>(request.Environment, StringComparer.Ordinal),
            Timeout = Seconds(request.Timeout),
        };
        return await RunAsync(sandbox, "process/execute", "execute command", body, request.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SandboxResult<ExecResult>> RunCodeAsync(string sandbox, string language, string code, TimeSpan? timeout = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        if (provider.Check(sandbox) is { } error)
        {
            return error;
        }

        var normalized = language?.Trim().ToLowerInvariant() ?? "";
        if (normalized is "bash" or "sh" || !string.IsNullOrWhiteSpace(workingDirectory))
        {
            // bash has no code-run runner, and code-run takes no working directory: run the interpreter through execute.
            string[]? argv = normalized switch
            {
                "bash" or "sh" => ["bash", "-c", code],
                "python" => ["python3", "-c", code],
                "javascript" => ["node", "-e", code],
                "typescript" => ["npx", "--yes", "ts-node", "-e", code],
                _ => null,
            };
            return argv is null
                ? UnknownLanguage(language)
                : await ExecAsync(sandbox, new ExecRequest { Command = argv, WorkingDirectory = workingDirectory, Timeout = timeout }, cancellationToken).ConfigureAwait(false);
        }

        if (normalized is not ("python" or "javascript" or "typescript"))
        {
            return UnknownLanguage(language);
        }

        var body = new CodeRunRequestDto { Code = code, Language = normalized, Timeout = Seconds(timeout) };
        return await RunAsync(sandbox, "process/code-run", "run code", body, timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SandboxResult<ExecResult>> RunAsync(string sandbox, string path, string operation, object body, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var wasCached = provider.IsToolboxCached(sandbox);
        var result = await RunOnceAsync(sandbox, path, operation, body, timeout, cancellationToken).ConfigureAwait(false);
        if (wasCached && result.Error?.Kind == SandboxErrorKind.NotFound)
        {
            // The cached id may be stale (the sandbox was replaced under the same name); a 404 ran nothing, so look it up again once.
            provider.Forget(sandbox);
            result = await RunOnceAsync(sandbox, path, operation, body, timeout, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<SandboxResult<ExecResult>> RunOnceAsync(string sandbox, string path, string operation, object body, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var target = await provider.ResolveToolboxAsync(sandbox, cancellationToken).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        var url = new Uri($"{target.Value.ToolboxProxyUrl!.TrimEnd('/')}/{Uri.EscapeDataString(target.Value.Id)}/{path}");
        var clock = Stopwatch.StartNew();
        var response = await provider.Http.SendAsync<ExecuteResponseDto>(
            $"{operation} in sandbox {sandbox}",
            () =>
            {
                var request = DaytonaHttp.WithJson(new RestRequest(url, Method.Post), body);
                if (timeout is { } limit)
                {
                    request.Timeout = limit + HttpGrace;
                }

                return request;
            },
            safe: false,
            cancellationToken,
            onFailure: failed => failed.StatusCode == HttpStatusCode.RequestTimeout && timeout is { } limit
                ? SandboxResult<ExecuteResponseDto>.Ok(new ExecuteResponseDto { TimedOutAfter = limit })
                : (SandboxResult<ExecuteResponseDto>?)null).ConfigureAwait(false);
        clock.Stop();

        if (!response.Succeeded)
        {
            return response.Error;
        }

        if (response.Value.TimedOutAfter is { } after)
        {
            return new ExecResult
            {
                ExitCode = 137,
                Stdout = "",
                Stderr = "",
                Duration = clock.Elapsed,
                TimedOut = true,
                KillReason = $"killed: timeout after {after.TotalSeconds:0.###} s (Daytona discards the output of a timed-out command)",
            };
        }

        var value = response.Value;
        var split = value.Stdout is not null || value.Stderr is not null;
        return new ExecResult
        {
            ExitCode = value.ExitCode ?? 0,
            Stdout = split ? value.Stdout ?? "" : value.Result ?? "",
            Stderr = split ? value.Stderr ?? "" : "",
            Duration = clock.Elapsed,
        };
    }

    private static int? Seconds(TimeSpan? timeout) =>
        timeout is { } value && value > TimeSpan.Zero ? (int)Math.Ceiling(value.TotalSeconds) : null;

    private static SandboxResult<ExecResult> UnknownLanguage(string? language) =>
        SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument, $"unknown language '{language}': use python, javascript, typescript or bash");
}
