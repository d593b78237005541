using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>
/// <c>POST /process/execute</c> and <c>/process/code-run</c>. The command text is handed to <c>sh -c</c> inside the
/// sandbox as one argv element, as the daemon hands it to the user's shell; it never reaches a host shell.
/// Besides Daytona's combined <c>result</c>, responses carry <c>stdout</c> and <c>stderr</c> (extra fields clients ignore).
/// </summary>
internal static class ProcessEndpoints
{
    public static void Map(RouteGroupBuilder toolbox, ISandboxProvider provider)
    {
        toolbox.MapPost("/process/execute", async (HttpContext context, string sandboxId) =>
        {
            var (body, invalid) = await Body.ReadAsync<ExecuteRequest>(context, ErrorStyle.Toolbox).ConfigureAwait(false);
            if (invalid is not null)
            {
                return invalid;
            }

            if (string.IsNullOrWhiteSpace(body!.Command))
            {
                return Errors.Toolbox(context, 400, "command is required");
            }

            if (body.Timeout < 0)
            {
                return NegativeTimeout(context);
            }

            var request = new ExecRequest
            {
                Command = ["sh", "-c", body.Command],
                WorkingDirectory = string.IsNullOrWhiteSpace(body.Cwd) ? null : ToolboxPaths.Resolve(body.Cwd),
                Environment = body.Envs ?? [],
                // The daemon applies a timeout only when one is given.
                Timeout = body.Timeout is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            var result = await provider.Process.ExecAsync(sandboxId, request, context.RequestAborted).ConfigureAwait(false);
            return Respond(context, result);
        });

        toolbox.MapPost("/process/code-run", async (HttpContext context, string sandboxId) =>
        {
            var (body, invalid) = await Body.ReadAsync<CodeRunRequest>(context, ErrorStyle.Toolbox).ConfigureAwait(false);
            if (invalid is not null)
            {
                return invalid;
            }

            var language = body!.Language?.Trim().ToLowerInvariant();
            if (body.Code is null || language is not ("python" or "javascript" or "typescript"))
            {
                return Errors.Toolbox(context, 400, "code and language (python, javascript or typescript) are required");
            }

            if (body.Timeout < 0)
            {
                return NegativeTimeout(context);
            }

            TimeSpan? timeout = body.Timeout is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null;
            SandboxResult<ExecResult> result;
            if ((body.Argv is { Count: > 0 } || body.Envs is { Count: > 0 }) && language != "typescript")
            {
                // Arguments and variables need the interpreter's own argv; the code is one element of it.
                IReadOnlyList<string> argv = language == "python"
                    ? ["python3", "-u", "-c", body.Code, .. body.Argv ?? []]
                    : ["node", "-e", body.Code, .. body.Argv ?? []];
                result = await provider.Process.ExecAsync(sandboxId, new ExecRequest { Command = argv, Environment = body.Envs ?? [], Timeout = timeout }, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                result = await provider.Process.RunCodeAsync(sandboxId, language, body.Code, timeout, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            }

            return Respond(context, result);
        });
    }

    // Larger timeouts go to the provider, which refuses those over its maximum and names it.
    private static IResult NegativeTimeout(HttpContext context) =>
        Errors.Toolbox(context, 400, "timeout must be a whole number of seconds: 0 or absent for the server's default, or a positive number up to the server's maximum");

    private static IResult Respond(HttpContext context, SandboxResult<ExecResult> result)
    {
        if (!result.Succeeded)
        {
            return Errors.Toolbox(context, result.Error);
        }

        var value = result.Value;
        if (value.TimedOut)
        {
            return Errors.Toolbox(context, 408, value.KillReason ?? "the command timed out", "PROCESS_EXECUTION_TIMEOUT");
        }

        // A kill (memory, output cap) is otherwise invisible to a Daytona client: say it where people look.
        var stderr = value.KillReason is { } reason ? $"{value.Stderr}{(value.Stderr.Length == 0 || value.Stderr.EndsWith('\n') ? "" : "\n")}[{reason}]\n" : value.Stderr;
        return Results.Json(new ExecuteResponse(value.ExitCode, value.Stdout + stderr, value.Stdout, stderr), ServerJson.Options);
    }

    private sealed record ExecuteResponse(int ExitCode, string Result, string Stdout, string Stderr);
}
