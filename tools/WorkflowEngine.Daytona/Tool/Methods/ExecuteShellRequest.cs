using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>execute_shell</c> method: runs a command line with the sandbox's bash (inside the sandbox, never on the host).</summary>
public sealed record ExecuteShellRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
    /// <summary>The sandbox id or name; default: the session's sandbox, else one created for this run.</summary>
    public string? SandboxId { get; init; }

    /// <summary>The command line.</summary>
    public required string Command { get; init; }

    /// <summary>The working directory inside the sandbox.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Seconds before the command is killed.</summary>
    public double? Timeout { get; init; }
}
