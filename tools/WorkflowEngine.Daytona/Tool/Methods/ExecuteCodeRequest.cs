using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>execute_code</c> method: runs code in a sandbox.</summary>
public sealed record ExecuteCodeRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
    /// <summary>The sandbox id or name; default: the session's sandbox, else one created for this run.</summary>
    public string? SandboxId { get; init; }

    /// <summary>The code.</summary>
    public required string Code { get; init; }

    /// <summary>python (default), javascript, typescript or bash.</summary>
    public string? Language { get; init; }

    /// <summary>The working directory inside the sandbox.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Seconds before the code is killed.</summary>
    public double? Timeout { get; init; }
}
