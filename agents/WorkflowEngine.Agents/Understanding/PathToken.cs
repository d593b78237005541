namespace WorkflowEngine.Agents.Understanding;

/// <summary>A path found in a request.</summary>
/// <param name="Value">The path as written, without trailing punctuation.</param>
/// <param name="Start">Where it starts in the text it was found in.</param>
/// <param name="Rooted">Whether it starts with <c>/</c>, <c>~/</c>, <c>./</c> or <c>../</c>.</param>
/// <param name="HasExtension">Whether its last segment has a file extension.</param>
internal sealed record PathToken(string Value, int Start, bool Rooted, bool HasExtension)
{
    /// <summary>Where it ends.</summary>
    public int End => Start + Value.Length;
}
