using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>file_operation</c> method: read, write, list, delete, upload or download a file.</summary>
public sealed record FileOperationRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
    /// <summary>The sandbox id or name; default: the session's sandbox, else one created for this run.</summary>
    public string? SandboxId { get; init; }

    /// <summary>read, write, list, delete, upload or download (create means write).</summary>
    public required string Operation { get; init; }

    /// <summary>The path in the sandbox; list defaults to /workspace.</summary>
    public string? FilePath { get; init; }

    /// <summary>The content to write.</summary>
    public string? Content { get; init; }

    /// <summary>The host path for upload and download.</summary>
    public string? LocalPath { get; init; }
}
