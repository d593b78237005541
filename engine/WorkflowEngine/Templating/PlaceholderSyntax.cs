using System.Text;
using System.Text.RegularExpressions;

namespace WorkflowEngine.Templating;

/// <summary>
/// Translates LangSwarm's <c>${path}</c> placeholders and Python-style condition words into Scriban,
/// so that authors can keep their files while the engine evaluates them with one language.
/// </summary>
public static partial class PlaceholderSyntax
{
    /// <summary>Turns text with <c>${path}</c> placeholders into a Scriban template.</summary>
    public static string ToTemplate(string text) =>
        Placeholder().Replace(text, m => "{{ " + Path(m.Groups[1].Value) + " }}");

    /// <summary>
    /// If the whole value (trimmed) is one placeholder, <c>${path}</c> or <c>{{ expr }}</c>, returns the
    /// Scriban expression it stands for; such values resolve to native objects rather than text.
    /// </summary>
    public static string? WholeExpression(string text)
    {
        var trimmed = text.Trim();
        var dollar = WholePlaceholder().Match(trimmed);
        if (dollar.Success)
        {
            return Path(dollar.Groups[1].Value);
        }

        var braces = WholeScriban().Match(trimmed);
        return braces.Success && !braces.Groups[1].Value.Contains("}}", StringComparison.Ordinal) ? braces.Groups[1].Value.Trim() : null;
    }

    /// <summary>
    /// Turns a condition into a Scriban expression. Placeholders become variable references (so strings are
    /// compared as strings), <c>True/False/None/and/or/not</c> become Scriban's words, and the infix forms
    /// <c>a in b</c>, <c>a not in b</c> and <c>a contains b</c> become calls to <c>contains(b, a)</c>.
    /// </summary>
    public static string ToCondition(string condition)
    {
        var text = QuotedPlaceholder().Replace(condition, m => "(" + Path(m.Groups[2].Value) + ")");
        text = Placeholder().Replace(text, m => "(" + Path(m.Groups[1].Value) + ")");
        var braces = WholeScriban().Match(text.Trim());
        if (braces.Success)
        {
            text = braces.Groups[1].Value;
        }

        var tokens = Tokenize(text).Select(t => t with { Text = MapWord(t.Text) }).ToList();
        return Join(RewriteMembership(tokens)).Trim();
    }

    /// <summary>
    /// Maps a column of line <paramref name="line"/> (0-based) of <c>ToTemplate(text)</c> back to the same line of
    /// <paramref name="text"/>; a column inside a translated placeholder maps to the placeholder's start.
    /// </summary>
    internal static int OriginalColumn(string text, int line, int templateColumn)
    {
        var lines = text.Split('\n');
        if (line < 0 || line >= lines.Length)
        {
            return templateColumn;
        }

        var shift = 0;
        foreach (Match match in Placeholder().Matches(lines[line]))
        {
            var translatedStart = match.Index + shift;
            var translatedLength = ("{{ " + Path(match.Groups[1].Value) + " }}").Length;
            if (templateColumn < translatedStart)
            {
                break;
            }

            if (templateColumn < translatedStart + translatedLength)
            {
                return match.Index;
            }

            shift += translatedLength - match.Length;
        }

        return templateColumn - shift;
    }

    /// <summary>The step ids a template refers to through <c>steps.X</c> or <c>step_outputs.X</c>.</summary>
    public static IEnumerable<(string StepId, int Index)> StepReferences(string scribanText) =>
        StepReference().Matches(scribanText).Select(m => (m.Groups[1].Value, m.Index));

    private static string Path(string raw)
    {
        var path = raw.Trim();
        return path.StartsWith("context.", StringComparison.Ordinal) ? path["context.".Length..] : path;
    }

    private static string MapWord(string token) => token switch
    {
        "True" => "true",
        "False" => "false",
        "None" => "null",
        "and" => "&&",
        "or" => "||",
        "not" => "!",
        _ => token,
    };

    private static string Join(IEnumerable<Token> tokens) => string.Concat(tokens.Select(t => t.Space + t.Text));

    private static List<Token> RewriteMembership(List<Token> tokens)
    {
        tokens = RewriteGroups(tokens);
        var result = new List<Token>();
        var clause = new List<Token>();
        var depth = 0;
        foreach (var token in tokens)
        {
            depth += token.Text is "(" or "[" ? 1 : token.Text is ")" or "]" ? -1 : 0;
            if (depth == 0 && token.Text is "&&" or "||")
            {
                result.AddRange(RewriteClause(clause));
                result.Add(token);
                clause.Clear();
            }
            else
            {
                clause.Add(token);
            }
        }

        result.AddRange(RewriteClause(clause));
        return result;
    }

    /// <summary>Rewrites the inside of each parenthesized group, so that <c>(a in b) and c</c> works; a group becomes one token.</summary>
    private static List<Token> RewriteGroups(List<Token> tokens)
    {
        var result = new List<Token>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Text != "(")
            {
                result.Add(tokens[i]);
                continue;
            }

            var depth = 0;
            var end = i;
            for (; end < tokens.Count; end++)
            {
                depth += tokens[end].Text == "(" ? 1 : tokens[end].Text == ")" ? -1 : 0;
                if (depth == 0)
                {
                    break;
                }
            }

            if (end >= tokens.Count)
            {
                // Unbalanced: leave the rest as it is for the parser to report.
                result.AddRange(tokens.Skip(i));
                break;
            }

            var inner = RewriteMembership(tokens.GetRange(i + 1, end - i - 1));
            result.Add(new Token(tokens[i].Space, "(" + Join(inner) + tokens[end].Space + ")"));
            i = end;
        }

        return result;
    }

    private static IEnumerable<Token> RewriteClause(List<Token> clause)
    {
        var depth = 0;
        for (var i = 0; i < clause.Count; i++)
        {
            var token = clause[i].Text;
            depth += token is "(" or "[" ? 1 : token is ")" or "]" ? -1 : 0;
            if (depth != 0 || token is not ("in" or "contains") || i == 0 || i == clause.Count - 1)
            {
                continue;
            }

            var negated = token == "in" && clause[i - 1].Text == "!";
            var leftEnd = negated ? i - 1 : i;
            var leadingNot = clause[0].Text == "!" && leftEnd > 1 ? 1 : 0;
            var left = Join(clause.Skip(leadingNot).Take(leftEnd - leadingNot)).Trim();
            var right = Join(clause.Skip(i + 1)).Trim();
            var call = token == "in" ? $"contains(({right}), ({left}))" : $"contains(({left}), ({right}))";
            var prefix = leadingNot == 1 ^ negated ? "!" : "";
            return [new Token(clause[0].Space, prefix + call)];
        }

        return clause;
    }

    private static IEnumerable<Token> Tokenize(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var spaceStart = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                yield break;
            }

            var space = text[spaceStart..i];
            var c = text[i];
            var start = i;
            if (c is '\'' or '"')
            {
                i++;
                while (i < text.Length && text[i] != c)
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(i + 1, text.Length);
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }
            }
            else if (i + 1 < text.Length && new StringBuilder().Append(c).Append(text[i + 1]).ToString() is "&&" or "||" or "==" or "!=" or "<=" or ">=")
            {
                i += 2;
            }
            else
            {
                i++;
            }

            yield return new Token(space, text[start..i]);
        }
    }

    private sealed record Token(string Space, string Text);

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(['""])\$\{([^}]+)\}\1")]
    private static partial Regex QuotedPlaceholder();

    [GeneratedRegex(@"^\$\{([^}]+)\}$")]
    private static partial Regex WholePlaceholder();

    [GeneratedRegex(@"^\{\{-?\s*(.+?)\s*-?\}\}$", RegexOptions.Singleline)]
    private static partial Regex WholeScriban();

    [GeneratedRegex(@"\b(?:steps|step_outputs)\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex StepReference();
}
