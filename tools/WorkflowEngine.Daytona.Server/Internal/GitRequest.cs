using System.Text.Json.Serialization;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>The fields of the toolbox's git request bodies (clone, add, commit, push, pull, branches, checkout, init).</summary>
internal sealed class GitRequest
{
    public string? Path { get; set; }
    public string? Url { get; set; }
    public string? Branch { get; set; }
    public List<string>? Files { get; set; }
    public string? Message { get; set; }
    public string? Author { get; set; }
    public string? Email { get; set; }
    public string? Name { get; set; }

    [JsonPropertyName("commit_id")]
    public string? CommitId { get; set; }

    [JsonPropertyName("allow_empty")]
    public bool? AllowEmpty { get; set; }

    [JsonPropertyName("initial_branch")]
    public string? InitialBranch { get; set; }
}
