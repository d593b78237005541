namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// The toolbox's <c>ExecuteResponse</c> and <c>CodeRunResponse</c>: <c>exitCode</c> and the combined output <c>result</c>.
/// <c>stdout</c>/<c>stderr</c> are not in the v0.205.1 spec but are read when a daemon sends them.
/// </summary>
internal sealed class ExecuteResponseDto
{
    public int? ExitCode { get; set; }
    public string? Result { get; set; }
    public string? Stdout { get; set; }
    public string? Stderr { get; set; }

    /// <summary>Set locally (never read from JSON) when the daemon answered 408 to a command with a timeout.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan? TimedOutAfter { get; set; }
}
