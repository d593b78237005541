using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>The sandbox a method works on, and the provider it lives in.</summary>
/// <param name="Id">The sandbox id.</param>
/// <param name="Provider">Its provider.</param>
public sealed record SandboxTarget(string Id, ISandboxProvider Provider);
