namespace WorkflowEngine.Agents.Understanding;

/// <summary>A file a development request asks to write.</summary>
/// <param name="Path">The path, as written (relative paths are under <c>/workspace</c>).</param>
/// <param name="Content">The content: quoted verbatim, or a small program generated from a description.</param>
public sealed record PlannedFile(string Path, string Content);
