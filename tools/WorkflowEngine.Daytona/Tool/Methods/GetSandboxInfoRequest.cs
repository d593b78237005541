using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>get_sandbox_info</c> method.</summary>
public sealed record GetSandboxInfoRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
    /// <summary>The sandbox id or name; default: the session's sandbox.</summary>
    public string? SandboxId { get; init; }
}
