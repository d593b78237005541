using System.Text.Json.Serialization;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>The toolbox's <c>FileInfo</c>.</summary>
internal sealed class FileInfoDto
{
    public string? Name { get; set; }
    public long Size { get; set; }
    public string? Mode { get; set; }
    public string? Permissions { get; set; }
    public bool IsDir { get; set; }
    public string? ModifiedAt { get; set; }
    public string? ModTime { get; set; }
    public string? Path { get; set; }
}

/// <summary>The toolbox's <c>GitStatus</c>.</summary>
internal sealed class GitStatusDto
{
    public string? CurrentBranch { get; set; }
    public List<FileStatusDto>? FileStatus { get; set; }
    public int? Ahead { get; set; }
    public int? Behind { get; set; }
    public bool? Detached { get; set; }
}

/// <summary>One entry of <see cref="GitStatusDto.FileStatus"/>.</summary>
internal sealed class FileStatusDto
{
    public string? Name { get; set; }
    public string? Staging { get; set; }
    public string? Worktree { get; set; }
    public string? Extra { get; set; }
}

/// <summary>The toolbox's <c>ListBranchResponse</c>.</summary>
internal sealed class BranchesDto
{
    public List<string>? Branches { get; set; }
    public string? Current { get; set; }
}

/// <summary>The toolbox's <c>GitCommitInfo</c>.</summary>
internal sealed class GitCommitInfoDto
{
    public string? Hash { get; set; }
    public string? Author { get; set; }
    public string? Email { get; set; }
    public string? Message { get; set; }
    public string? Timestamp { get; set; }
}

/// <summary>The toolbox's <c>GitCommitResponse</c>.</summary>
internal sealed class GitCommitResponseDto
{
    public string? Hash { get; set; }
}

/// <summary>Git request bodies: every value its own JSON field (snake_case where the daemon wants it).</summary>
internal sealed class GitRequestDto
{
    public required string Path { get; set; }
    public string? Url { get; set; }
    public string? Branch { get; set; }
    public List<string>? Files { get; set; }
    public string? Message { get; set; }
    public string? Author { get; set; }
    public string? Email { get; set; }
    public string? Name { get; set; }

    [JsonPropertyName("initial_branch")]
    public string? InitialBranch { get; set; }
}
