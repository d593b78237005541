using Scriban.Runtime;

namespace WorkflowEngine.Templating;

/// <summary>The variables a template sees, converted to Scriban once and shared by every render in a step.</summary>
public sealed class TemplateScope
{
    /// <summary>Creates a scope from plain-data variables.</summary>
    public TemplateScope(IReadOnlyDictionary<string, object?> variables)
    {
        Variables = variables;
        Globals = new ScriptObject();
        foreach (var (name, value) in variables)
        {
            Globals[name] = ScriptValues.ToScript(value);
        }
    }

    /// <summary>The variables as plain data.</summary>
    public IReadOnlyDictionary<string, object?> Variables { get; }

    internal ScriptObject Globals { get; }

    /// <summary>A scope with extra variables on top (a loop item, say).</summary>
    public TemplateScope With(string name, object? value)
    {
        var variables = new Dictionary<string, object?>(Variables, StringComparer.Ordinal) { [name] = value };
        return new TemplateScope(variables);
    }
}
