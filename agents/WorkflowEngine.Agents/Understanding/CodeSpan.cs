namespace WorkflowEngine.Agents.Understanding;

/// <summary>Code quoted in a request: a fenced block or a backtick span.</summary>
/// <param name="Text">The code, exactly as written, without the fence or backticks.</param>
/// <param name="Fenced">Whether it came from a <c>```</c> block.</param>
/// <param name="Info">The fence's info string (<c>python</c>), if any.</param>
/// <param name="Index">Its number in the masked text's placeholders.</param>
internal sealed record CodeSpan(string Text, bool Fenced, string? Info, int Index)
{
    /// <summary>The placeholder that replaces the span in the masked text.</summary>
    public string Placeholder => RequestText.PlaceholderFor(Index);
}
