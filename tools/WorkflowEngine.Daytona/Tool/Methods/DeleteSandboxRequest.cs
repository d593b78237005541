using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>delete_sandbox</c> method.</summary>
public sealed record DeleteSandboxRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
    /// <summary>The sandbox id or name.</summary>
    public required string SandboxId { get; init; }
}
