using WorkflowEngine.Definitions;

namespace WorkflowEngine.Templating;

/// <summary>A template could not be parsed or rendered; the message says where and why.</summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateException(string message, SourcePosition position, Exception? inner = null)
        : base($"{position}: {message}", inner) => Position = position;

    /// <summary>Where the template is in the definitions.</summary>
    public SourcePosition Position { get; }
}
