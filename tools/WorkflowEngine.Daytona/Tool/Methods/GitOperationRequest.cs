using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>git_operation</c> method: clone, pull, push, status, commit, checkout, add, branches, log or init.</summary>
public sealed record GitOperationRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
    /// <summary>The sandbox id or name; default: the session's sandbox, else one created for this run.</summary>
    public string? SandboxId { get; init; }

    /// <summary>clone, pull, push, status, commit, checkout, add, branches, log or init.</summary>
    public required string Operation { get; init; }

    /// <summary>The repository for clone.</summary>
    public string? RepositoryUrl { get; init; }

    /// <summary>The branch for clone and checkout.</summary>
    public string? Branch { get; init; }

    /// <summary>The message for commit, stored verbatim.</summary>
    public string? CommitMessage { get; init; }

    /// <summary>The repository folder; default /workspace.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Files to stage for add and commit (default: all changes).</summary>
    public List<string>? Files { get; init; }
}
