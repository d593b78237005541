namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>The toolbox's <c>CodeRunRequest</c>.</summary>
internal sealed class CodeRunRequestDto
{
    public string Code { get; set; } = "";
    public string Language { get; set; } = "";
    public List<string>? Argv { get; set; }
    public Dictionary<string, string>? Envs { get; set; }
    public int? Timeout { get; set; }
}
