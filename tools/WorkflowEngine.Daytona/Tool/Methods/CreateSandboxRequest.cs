using Mediator;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool.Methods;

/// <summary>The <c>create_sandbox</c> method: creates a sandbox.</summary>
public sealed record CreateSandboxRequest : IRequest<IReadOnlyDictionary<string, object?>>, IToolRequest
{
    /// <summary>python, javascript, typescript or bash; default from the tool config (python).</summary>
    public string? Language { get; init; }

    /// <summary>A container image (Daytona only).</summary>
    public string? Image { get; init; }

    /// <summary>A unique name.</summary>
    public string? Name { get; init; }

    /// <summary>A repository to clone into the workspace.</summary>
    public string? GitRepo { get; init; }

    /// <summary>The branch to clone.</summary>
    public string? GitBranch { get; init; }

    /// <summary>Environment variables for every command; numbers and booleans are taken as their text.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(EnvironmentVarsConverter))]
    public Dictionary<string, string>? EnvironmentVars { get; init; }

    /// <summary>Keep the sandbox after the run; default from the tool config (false).</summary>
    public bool? Persistent { get; init; }
}
