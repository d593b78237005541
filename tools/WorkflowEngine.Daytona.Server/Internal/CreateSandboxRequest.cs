namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>The fields of Daytona's <c>CreateSandbox</c> this server honours; others are accepted and ignored.</summary>
internal sealed class CreateSandboxRequest
{
    public string? Name { get; set; }
    public string? Snapshot { get; set; }
    public Dictionary<string, string>? Env { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public bool? NetworkBlockAll { get; set; }
    public double? Cpu { get; set; }
    public double? Memory { get; set; }
    public double? Disk { get; set; }
    public int? AutoDeleteInterval { get; set; }
    public BuildInfoRequest? BuildInfo { get; set; }
}

/// <summary>Daytona's <c>CreateBuildInfo</c>.</summary>
internal sealed class BuildInfoRequest
{
    public string? DockerfileContent { get; set; }
}
