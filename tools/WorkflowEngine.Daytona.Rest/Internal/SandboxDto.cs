namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>The fields of Daytona's <c>Sandbox</c> and <c>SandboxListItem</c> this provider reads; enums stay strings.</summary>
internal sealed class SandboxDto
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? Snapshot { get; set; }
    public Dictionary<string, string>? Env { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public bool NetworkBlockAll { get; set; }
    public string? Target { get; set; }
    public double? Cpu { get; set; }
    public double? Memory { get; set; }
    public double? Disk { get; set; }
    public string? State { get; set; }
    public string? DesiredState { get; set; }
    public string? ErrorReason { get; set; }
    public int? AutoStopInterval { get; set; }
    public int? AutoDeleteInterval { get; set; }
    public string? CreatedAt { get; set; }
    public string? UpdatedAt { get; set; }
    public string? LastActivityAt { get; set; }
    public string? ToolboxProxyUrl { get; set; }
}
