using WorkflowEngine.Definitions;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Tests.Templating;

public class PlaceholderSyntaxTests
{
    private readonly TemplateRenderer _renderer = new();

    private static TemplateScope Scope() => new(new Dictionary<string, object?>
    {
        ["x"] = new Dictionary<string, object?>
        {
            ["priority"] = "high",
            ["count"] = 3L,
            ["text"] = "hello world",
            ["success"] = true,
            ["tags"] = new List<object?> { "a", "b" },
        },
        ["operand"] = true,
        ["candor"] = false,
    });

    private bool Condition(string text) =>
        _renderer.EvaluateCondition(ValueNode.Scalar(text, SourcePosition.None, isQuoted: true), Scope());

    // ----- ToTemplate -----

    [Theory]
    [InlineData("Hello ${user_input}", "Hello {{ user_input }}")]
    [InlineData("${context.user_input}", "{{ user_input }}")]
    [InlineData("${ context.step_outputs.a.b }!", "{{ step_outputs.a.b }}!")]
    [InlineData("${a}${b}", "{{ a }}{{ b }}")]
    [InlineData("${x.tags[0]}", "{{ x.tags[0] }}")]
    [InlineData("{{ already.scriban }}", "{{ already.scriban }}")]
    [InlineData("no placeholders, $5 and {braces}", "no placeholders, $5 and {braces}")]
    [InlineData("${unclosed", "${unclosed")]
    [InlineData("mycontext.${contextual}", "mycontext.{{ contextual }}")]
    public void ToTemplate_DollarPlaceholders_BecomeScribanExpressions(string text, string expected)
    {
        Assert.Equal(expected, PlaceholderSyntax.ToTemplate(text));
    }

    [Fact]
    public void ToTemplate_MultilineText_KeepsEveryLine()
    {
        const string text = "user_input: ${user_input}\nuser_query: ${context.user_query}\n";

        Assert.Equal("user_input: {{ user_input }}\nuser_query: {{ user_query }}\n", PlaceholderSyntax.ToTemplate(text));
    }

    // ----- WholeExpression -----

    [Theory]
    [InlineData("${a.b}", "a.b")]
    [InlineData("  ${context.a.b}\n", "a.b")]
    [InlineData("{{ a | string.upcase }}", "a | string.upcase")]
    [InlineData("{{- a -}}", "a")]
    [InlineData("{{\n  a + 1\n}}", "a + 1")]
    public void WholeExpression_SinglePlaceholder_ReturnsTheExpression(string text, string expected)
    {
        Assert.Equal(expected, PlaceholderSyntax.WholeExpression(text));
    }

    [Theory]
    [InlineData("x ${a}")]
    [InlineData("${a} ${b}")]
    [InlineData("${a}${b}")]
    [InlineData("{{ a }} {{ b }}")]
    [InlineData("{{ a }}!")]
    [InlineData("plain")]
    [InlineData("")]
    public void WholeExpression_AnythingElse_ReturnsNull(string text)
    {
        Assert.Null(PlaceholderSyntax.WholeExpression(text));
    }

    // ----- ToCondition -----

    [Theory]
    [InlineData("${x.success} == true", "(x.success) == true")]
    [InlineData("${context.x.success} == true", "(x.success) == true")]
    [InlineData("'${x.priority}' == 'high'", "(x.priority) == 'high'")]
    [InlineData("\"${x.priority}\" == \"high\"", "(x.priority) == \"high\"")]
    [InlineData("${a} == True and ${b} == False or ${c} == None", "(a) == true && (b) == false || (c) == null")]
    [InlineData("not ${a}", "! (a)")]
    [InlineData("{{ a > 1 }}", "a > 1")]
    [InlineData("'and' == 'or'", "'and' == 'or'")]
    [InlineData("${operand} or ${candor}", "(operand) || (candor)")]
    [InlineData("${a} contains 'x'", "contains(((a)), ('x'))")]
    [InlineData("${a} in ['x', 'y']", "contains((['x', 'y']), ((a)))")]
    [InlineData("${a} not in ['x']", "!contains((['x']), ((a)))")]
    [InlineData("not ${a} in ['x']", "!contains((['x']), ((a)))")]
    public void ToCondition_LangSwarmCondition_BecomesScribanExpression(string condition, string expected)
    {
        Assert.Equal(expected, PlaceholderSyntax.ToCondition(condition));
    }

    [Fact]
    public void ToCondition_MembershipInsideParentheses_IsRewrittenToo()
    {
        Assert.Equal(
            "((x.count) > 2) && (contains((['high']), ((x.priority))))",
            PlaceholderSyntax.ToCondition("(${x.count} > 2) and (${x.priority} in ['high'])"));
    }

    // ----- conditions evaluated end to end -----

    [Theory]
    [InlineData("(${x.priority} in ['high', 'urgent'])", true)]
    [InlineData("(${x.priority} not in ['high'])", false)]
    [InlineData("(${x.count} > 2) and (${x.priority} in ['high'])", true)]
    [InlineData("not (${x.priority} in ['low'])", true)]
    [InlineData("((${x.text} contains 'world') or False)", true)]
    [InlineData("${x.count} > 5 or (${x.success} == True and 'a' in ${x.tags})", true)]
    [InlineData("${x.tags[0]} == 'a'", true)]
    [InlineData("${x.count} in [3, 4]", true)]
    [InlineData("${x.count} in [4, 5]", false)]
    [InlineData("'${x.priority}' == 'not in'", false)]
    [InlineData("${x.text} == 'hello world'", true)]
    [InlineData("not ${x.text} contains 'mars'", true)]
    [InlineData("${operand} or ${candor}", true)]
    [InlineData("${operand} and ${candor}", false)]
    [InlineData("${x.priority}=='high'&&${x.count}>=3", true)]
    public void ToCondition_Evaluated_GivesPythonLikeResults(string condition, bool expected)
    {
        Assert.Equal(expected, Condition(condition));
    }

    [Fact]
    public void ToCondition_ValueWithSpacesAndQuotes_IsComparedAsAString()
    {
        // LangSwarm pasted values unquoted, so `hello world == 'hello world'` was a syntax error there.
        Assert.True(Condition("${x.text} == 'hello world'"));
        Assert.True(Condition("'${x.text}' != 'hello'"));
    }

    // ----- StepReferences -----

    [Fact]
    public void StepReferences_StepsAndStepOutputs_AreFoundWithTheirIndex()
    {
        const string text = "${steps.a.output} {{ step_outputs.b }} ${context.step_outputs.c.type} mysteps.d steps";

        var references = PlaceholderSyntax.StepReferences(text).ToList();

        Assert.Equal(["a", "b", "c"], references.Select(r => r.StepId));
        Assert.Equal(text.IndexOf("steps.a", StringComparison.Ordinal), references[0].Index);
        Assert.Equal(text.IndexOf("step_outputs.b", StringComparison.Ordinal), references[1].Index);
        Assert.Equal(text.IndexOf("step_outputs.c", StringComparison.Ordinal), references[2].Index);
    }

    [Fact]
    public void StepReferences_NoReferences_IsEmpty()
    {
        Assert.Empty(PlaceholderSyntax.StepReferences("${user_input} and {{ previous_output }}"));
    }

    // ----- OriginalColumn -----

    [Theory]
    [InlineData("abc {{ x", 0, 4, 4)]
    [InlineData("${a} {{ x", 0, 8, 5)]
    [InlineData("${context.user_input} {{ x", 0, 17, 22)]
    [InlineData("${a} ${b} {{ x", 0, 16, 10)]
    [InlineData("${abc} tail", 0, 3, 0)]
    [InlineData("${a}\nplain {{ x", 1, 6, 6)]
    public void OriginalColumn_ColumnInTranslatedLine_MapsBackToTheSource(string text, int line, int templateColumn, int expected)
    {
        Assert.Equal(expected, PlaceholderSyntax.OriginalColumn(text, line, templateColumn));
    }
}
