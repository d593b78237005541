namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>The state of a repository's working tree.</summary>
/// <param name="Branch">The current branch.</param>
/// <param name="Ahead">Commits not on the upstream.</param>
/// <param name="Behind">Upstream commits not here.</param>
/// <param name="Files">Changed files as <c>XY path</c> porcelain lines.</param>
public sealed record GitStatus(string Branch, int Ahead, int Behind, IReadOnlyList<string> Files);
