namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>Daytona's <c>buildInfo</c>: a Dockerfile to build the sandbox from.</summary>
internal sealed class BuildInfoDto
{
    public string DockerfileContent { get; set; } = "";
}
