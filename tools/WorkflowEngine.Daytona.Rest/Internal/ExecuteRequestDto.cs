namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>The toolbox's <c>ExecuteRequest</c>.</summary>
internal sealed class ExecuteRequestDto
{
    public string Command { get; set; } = "";
    public string? Cwd { get; set; }
    public Dictionary<string, string>? Envs { get; set; }
    public int? Timeout { get; set; }
}
