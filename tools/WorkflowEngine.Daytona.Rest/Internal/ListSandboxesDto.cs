namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>Daytona's <c>ListSandboxesResponse</c>: one page and the cursor of the next.</summary>
internal sealed class ListSandboxesDto
{
    public List<SandboxDto>? Items { get; set; }
    public string? NextCursor { get; set; }
}
