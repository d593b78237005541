namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>The toolbox's <c>ExecuteRequest</c>.</summary>
internal sealed class ExecuteRequest
{
    public string? Command { get; set; }
    public string? Cwd { get; set; }
    public Dictionary<string, string>? Envs { get; set; }
    public int? Timeout { get; set; }
}

/// <summary>The toolbox's <c>CodeRunRequest</c>.</summary>
internal sealed class CodeRunRequest
{
    public string? Code { get; set; }
    public string? Language { get; set; }
    public List<string>? Argv { get; set; }
    public Dictionary<string, string>? Envs { get; set; }
    public int? Timeout { get; set; }
}
