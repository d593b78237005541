namespace WorkflowEngine.Agents.Understanding;

/// <summary>Writes the obvious one-line program for "a script that prints X".</summary>
internal static class ProgramGenerator
{
    /// <summary>A program in <paramref name="language"/> that prints <paramref name="text"/>.</summary>
    public static string Print(string language, string text) => language switch
    {
        "javascript" or "typescript" => $"console.log({Quote(text)})",
        "bash" => "echo " + (text.All(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or ',' or '-' or '_' or ':') ? text : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'"),
        _ => $"print({Quote(text)})",
    };

    /// <summary>The interpreter command that runs <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> RunFile(string language, string path) => (LanguageDetector.FromExtension(path) ?? language) switch
    {
        "javascript" => ["node", path],
        "typescript" => ["tsx", path],
        "bash" => ["bash", path],
        _ => ["python3", path],
    };

    /// <summary>The usual test command for <paramref name="language"/>; <see langword="null"/> when there is none.</summary>
    public static IReadOnlyList<string>? RunTests(string language) => language switch
    {
        "python" => ["python3", "-m", "pytest", "-q"],
        "javascript" or "typescript" => ["npm", "test"],
        _ => null,
    };

    /// <summary>The default file name for a script in <paramref name="language"/>.</summary>
    public static string DefaultFile(string language) => language switch
    {
        "javascript" => "app.js",
        "typescript" => "app.ts",
        "bash" => "app.sh",
        _ => "app.py",
    };

    private static string Quote(string text) =>
        text.Contains('\'') && !text.Contains('"')
            ? "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal) + "\""
            : "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
