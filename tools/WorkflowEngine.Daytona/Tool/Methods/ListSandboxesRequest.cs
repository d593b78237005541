using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>list_sandboxes</c> method.</summary>
public sealed record ListSandboxesRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
}
