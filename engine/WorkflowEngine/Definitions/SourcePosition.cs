namespace WorkflowEngine.Definitions;

/// <summary>A place in a definition file, 1-based, printed as <c>file:line:col</c>.</summary>
/// <param name="File">The file path as it was given to the loader.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    /// <summary>A position for definitions built in code rather than loaded from a file.</summary>
    public static SourcePosition None { get; } = new("<code>", 0, 0);

    /// <summary>Returns a position on the same file moved by the given lines and columns.</summary>
    public SourcePosition Offset(int lines, int column) =>
        lines == 0 ? this with { Column = Column + column } : this with { Line = Line + lines, Column = column };

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
