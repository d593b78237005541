using System.Collections;
using System.Collections.Concurrent;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;
using WorkflowEngine.Definitions;

namespace WorkflowEngine.Templating;

/// <summary>
/// Renders Scriban templates with strict variables and strict member access. LangSwarm's <c>${path}</c>
/// placeholders are accepted; a value that is exactly one placeholder resolves to its native value.
/// Every template is parsed once and cached.
/// </summary>
public sealed class TemplateRenderer
{
    private static readonly LexerOptions ScriptOnly = new() { Mode = ScriptMode.ScriptOnly };
    private static readonly ScriptObject Functions = CreateFunctions();

    // Scriban's builtin functions (string.*, array.*…) are read-only; building them per render dominated its cost.
    private static readonly ScriptObject Builtins = TemplateContext.GetDefaultBuiltinObject();
    private readonly ConcurrentDictionary<(string Text, bool Expression), Template> _cache = new();

    /// <summary>Renders text (with <c>${}</c> or <c>{{ }}</c>) to a string.</summary>
    public string Render(string text, TemplateScope scope, SourcePosition position = default)
    {
        var template = Parse(PlaceholderSyntax.ToTemplate(text), expression: false, position);
        return Run(() => template.Render(CreateContext(scope)), position);
    }

    /// <summary>Evaluates a Scriban expression to plain data.</summary>
    public object? Evaluate(string expression, TemplateScope scope, SourcePosition position = default)
    {
        var template = Parse(expression, expression: true, position);
        return Run(() => ScriptValues.ToPlain(template.Evaluate(CreateContext(scope))), position);
    }

    /// <summary>Evaluates a condition (LangSwarm or Scriban syntax) to true or false.</summary>
    public bool EvaluateCondition(ValueNode condition, TemplateScope scope)
    {
        if (condition.Kind != ValueKind.Scalar)
        {
            throw new TemplateException("A condition must be text, such as \"${steps.check.output.valid} == true\".", condition.Position);
        }

        if (!condition.IsQuoted && condition.ToPlainValue() is bool literal)
        {
            return literal;
        }

        return IsTruthy(Evaluate(PlaceholderSyntax.ToCondition(condition.Text ?? "false"), scope, condition.Position));
    }

    /// <summary>
    /// Resolves a definition value: scalars that are exactly one placeholder give native values, other text is
    /// rendered, and lists and mappings are resolved item by item.
    /// </summary>
    public object? Resolve(ValueNode? node, TemplateScope scope)
    {
        if (node is null)
        {
            return null;
        }

        switch (node.Kind)
        {
            case ValueKind.Sequence:
                return node.Items.Select(i => Resolve(i, scope)).ToList();
            case ValueKind.Mapping:
                return node.Entries.ToDictionary(e => e.Key, e => Resolve(e.Value, scope), StringComparer.Ordinal);
        }

        if (node.Text is not { } text || (!text.Contains("${", StringComparison.Ordinal) && !text.Contains("{{", StringComparison.Ordinal)))
        {
            return node.ToPlainValue();
        }

        return PlaceholderSyntax.WholeExpression(text) is { } expression
            ? Evaluate(expression, scope, node.Position)
            : Render(text, scope, node.Position);
    }

    /// <summary>Checks a template's syntax without rendering it; each error comes with its position in the YAML.</summary>
    public IEnumerable<(SourcePosition Position, string Message)> CheckSyntax(ValueNode scalar, bool isCondition = false)
    {
        var text = scalar.Text ?? "";
        var isExpression = isCondition || PlaceholderSyntax.WholeExpression(text) is not null;
        var source = isCondition ? PlaceholderSyntax.ToCondition(text)
            : PlaceholderSyntax.WholeExpression(text) ?? PlaceholderSyntax.ToTemplate(text);
        var template = Template.Parse(source, lexerOptions: isExpression ? ScriptOnly : default);
        if (!template.HasErrors)
        {
            return [];
        }

        return template.Messages
            .Where(m => m.Type == ParserMessageType.Error)
            .Select(m => (MapPosition(scalar, ErrorLocation(text, m.Span.Start, isExpression)), m.Message))
            .Distinct();
    }

    /// <summary>
    /// The 0-based line and column in the scalar's own text for a Scriban error position. Scriban reports errors
    /// at the end of input as line -1; those point at the end of the text. Template columns are moved back over
    /// the <c>${path}</c> to <c>{{ path }}</c> translation; expression errors point at the start of their line.
    /// </summary>
    private static (int Line, int Column) ErrorLocation(string text, TextPosition position, bool isExpression)
    {
        var (line, column) = position.Line >= 0
            ? (position.Line, position.Column)
            : (text.TrimEnd().Count(c => c == '\n'), text.TrimEnd().Length - text.TrimEnd().LastIndexOf('\n') - 1);
        return (line, isExpression ? 0 : position.Line >= 0 ? PlaceholderSyntax.OriginalColumn(text, line, column) : column);
    }

    private static SourcePosition MapPosition(ValueNode scalar, (int Line, int Column) position) =>
        MapPosition(scalar, position.Line, position.Column);

    /// <summary>Maps a 0-based line and column inside a scalar's text to its position in the YAML file.</summary>
    internal static SourcePosition MapPosition(ValueNode scalar, int line, int column)
    {
        if (scalar.BlockIndent > 0)
        {
            return scalar.Position with { Line = scalar.Position.Line + 1 + line, Column = scalar.BlockIndent + column };
        }

        var quote = scalar.IsQuoted ? 1 : 0;
        return line == 0
            ? scalar.Position.Offset(0, column + quote)
            : scalar.Position.Offset(line, column + 1);
    }

    /// <summary>Scriban-like truthiness: false, null, empty text and "false" are false.</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0 && !s.Equals("false", StringComparison.OrdinalIgnoreCase),
        long l => l != 0,
        double d => d != 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    private Template Parse(string source, bool expression, SourcePosition position)
    {
        var template = _cache.GetOrAdd((source, expression), key =>
            Template.Parse(key.Text, lexerOptions: key.Expression ? ScriptOnly : default));
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw new TemplateException($"Template syntax error: {first.Message}", position);
        }

        return template;
    }

    private static T Run<T>(Func<T> action, SourcePosition position)
    {
        try
        {
            return action();
        }
        catch (ScriptRuntimeException ex)
        {
            throw new TemplateException(Explain(ex.OriginalMessage), position, ex);
        }
    }

    private static string Explain(string message) =>
        message.Contains("was not found", StringComparison.Ordinal)
            ? message + " Check the name; step outputs are under steps.<id>.output and run inputs under their own names."
            : message.Contains("Cannot get member", StringComparison.Ordinal)
                ? message + " The value has no such field; if a step replied with text rather than a JSON object, use steps.<id>.output directly."
                : message;

    private static TemplateContext CreateContext(TemplateScope scope)
    {
        var context = new JsonTextTemplateContext(Builtins)
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = 10_000,
            RecursiveLimit = 100,
            MemberRenamer = member => member.Name,
        };
        context.PushGlobal(Functions);
        context.PushGlobal(scope.Globals);
        return context;
    }

    private static ScriptObject CreateFunctions()
    {
        // Built once: importing delegates is costly, and the object is only read during renders.
        var functions = new ScriptObject();
        functions.Import("contains", new Func<object?, object?, bool>(Contains));
        functions.Import("json", new Func<object?, string>(value => PlainData.ToText(ScriptValues.ToPlain(value))));
        return functions;
    }

    private static bool Contains(object? haystack, object? needle) => haystack switch
    {
        null => false,
        string text => text.Contains(PlainData.ToText(ScriptValues.ToPlain(needle)), StringComparison.Ordinal),
        ScriptObject map => map.ContainsKey(PlainData.ToText(ScriptValues.ToPlain(needle))),
        IEnumerable list => list.Cast<object?>().Any(item => Equals(ScriptValues.ToPlain(item), ScriptValues.ToPlain(needle))
            || PlainData.ToText(ScriptValues.ToPlain(item)) == PlainData.ToText(ScriptValues.ToPlain(needle))),
        _ => false,
    };

    /// <summary>Renders objects and lists as JSON instead of Scriban's own notation.</summary>
    private sealed class JsonTextTemplateContext(ScriptObject builtins) : TemplateContext(builtins)
    {
        public override string ObjectToString(object? value, bool nested = false) => value switch
        {
            ScriptObject or ScriptArray => PlainData.ToText(ScriptValues.ToPlain(value)),
            _ => base.ObjectToString(value, nested) ?? "",
        };
    }
}
