using System.Text.RegularExpressions;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>Runs commands and code in local sandboxes.</summary>
internal sealed partial class LocalSandboxProcess(LocalRuntime runtime) : ISandboxProcess
{
    // Code longer than this goes through standard input, below the kernel's per-argument limit (128 KiB).
    private const int MaxInlineCode = 100_000;
    private static readonly string[] TypeScriptRunners = ["/usr/bin/tsx", "/usr/local/bin/tsx", "/usr/bin/ts-node", "/usr/local/bin/ts-node"];

    public async ValueTask<SandboxResult<ExecResult>> ExecAsync(string sandbox, ExecRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Command.Count == 0 || string.IsNullOrEmpty(request.Command[0]))
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument, "The command is empty; give the program and its arguments.");
        }

        if (request.Environment.Keys.FirstOrDefault(k => !EnvironmentName().IsMatch(k)) is { } badName)
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument, $"'{badName}' is not a valid environment variable name (letters, digits and _, not starting with a digit).");
        }

        if (request.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument, "The timeout must be positive.");
        }

        var maximum = runtime.Options.MaxCommandTimeout;
        if (request.Timeout > maximum)
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument,
                $"The timeout of {Seconds(request.Timeout.Value)} is over the maximum of {Seconds(maximum)} per command (MaxCommandTimeout); ask for {Seconds(maximum)} or less, or run long work in the background and poll it.");
        }

        var found = runtime.FindRunning(sandbox);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var workspace = runtime.Layout.Workspace(found.Value.Id);
        var directory = WorkspacePaths.Resolve(workspace, request.WorkingDirectory ?? WorkspacePaths.Root);
        if (!directory.Succeeded)
        {
            return directory.Error;
        }

        if (!Directory.Exists(directory.Value.Host))
        {
            return SandboxResult<ExecResult>.Fail(SandboxErrorKind.NotFound, $"Working directory '{directory.Value.Sandbox}' does not exist in the sandbox; create it first.");
        }

        var command = runtime.Command(found.Value, request.Command, directory.Value.Sandbox, request.Environment, request.Timeout, request.StandardInput);
        return await runtime.Executor.RunAsync(command, cancellationToken);
    }

    public ValueTask<SandboxResult<ExecResult>> RunCodeAsync(string sandbox, string language, string code, TimeSpan? timeout = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var inline = code.Length <= MaxInlineCode;
        string[]? command = (language ?? "").Trim().ToLowerInvariant() switch
        {
            "python" or "python3" or "py" => inline ? ["/usr/bin/python3", "-c", code] : ["/usr/bin/python3", "-"],
            "javascript" or "js" or "node" => inline ? ["/usr/bin/node", "-e", code] : ["/usr/bin/node", "-"],
            "bash" or "shell" or "sh" => inline ? ["/bin/bash", "-c", code] : ["/bin/bash", "-s"],
            "typescript" or "ts" => TypeScriptRunners.FirstOrDefault(File.Exists) is { } runner
                ? inline ? [runner, "-e", code] : [runner, "-"]
                : null,
            _ => [],
        };

        if (command is null)
        {
            return ValueTask.FromResult(SandboxResult<ExecResult>.Fail(SandboxErrorKind.Unavailable,
                "TypeScript is not available: no TypeScript runner (tsx or ts-node) is installed under /usr. Install one (`npm install -g tsx`) or run the code as javascript."));
        }

        if (command.Length == 0)
        {
            return ValueTask.FromResult(SandboxResult<ExecResult>.Fail(SandboxErrorKind.InvalidArgument,
                $"Language '{language}' is not supported; use python, javascript, typescript or bash."));
        }

        var interpreter = command[0].Replace("/bin/bash", "/usr/bin/bash", StringComparison.Ordinal);
        if (!File.Exists(interpreter))
        {
            return ValueTask.FromResult(SandboxResult<ExecResult>.Fail(SandboxErrorKind.Unavailable,
                $"{language} is not available: {interpreter} is not installed on this machine."));
        }

        return ExecAsync(sandbox, new ExecRequest { Command = command, Timeout = timeout, WorkingDirectory = workingDirectory, StandardInput = inline ? null : code }, cancellationToken);
    }

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    internal static partial Regex EnvironmentName();
}
