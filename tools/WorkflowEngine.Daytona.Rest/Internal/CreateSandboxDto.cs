namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>The fields of Daytona's <c>CreateSandbox</c> this provider sends; nulls are left out.</summary>
internal sealed class CreateSandboxDto
{
    public string? Name { get; set; }
    public Dictionary<string, string>? Env { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public string? Target { get; set; }
    public bool? NetworkBlockAll { get; set; }
    public int? AutoDeleteInterval { get; set; }
    public BuildInfoDto? BuildInfo { get; set; }
    public int? Cpu { get; set; }
    public int? Memory { get; set; }
    public int? Disk { get; set; }
}
