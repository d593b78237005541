using System.Threading.Channels;
using WorkflowEngine.Definitions;
using WorkflowEngine.Runtime;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Tests.Templating;

public class TemplateRendererTests
{
    private static readonly SourcePosition At = new("flow.yaml", 12, 7);

    private readonly TemplateRenderer _renderer = new();

    private static TemplateScope Scope(params (string Name, object? Value)[] variables) =>
        new(variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static TemplateScope ConditionScope(object? success = null) => Scope(
        ("x", Map(
            ("success", success ?? true),
            ("failed", false),
            ("priority", "high"),
            ("text", "hello world"),
            ("count", 3L),
            ("ratio", 0.5),
            ("tags", new List<object?> { "a", "b" }),
            ("nothing", null))));

    private static ValueNode Quoted(string text) => ValueNode.Scalar(text, At, isQuoted: true);

    // ----- placeholders -----

    [Fact]
    public void Render_PlaceholderWithAndWithoutContextPrefix_ResolvesTheSameVariable()
    {
        var scope = Scope(("user_input", "hi"), ("user_query", "q"));

        var text = _renderer.Render("a=${user_input} b=${context.user_input} c=${ context.user_query }", scope);

        Assert.Equal("a=hi b=hi c=q", text);
    }

    [Fact]
    public void Render_ScribanAndDollarSyntaxMixed_RendersBoth()
    {
        var scope = Scope(("name", "Ada"), ("items", new List<object?> { 1L, 2L, 3L }));

        var text = _renderer.Render("Hi ${name}: {{ for i in items }}{{ i }};{{ end }} {{ name | string.upcase }}", scope);

        Assert.Equal("Hi Ada: 1;2;3; ADA", text);
    }

    [Fact]
    public void Render_StepOutputsAndStepsOutputFromARunState_AreTheSameValue()
    {
        var first = new StepDefinition { Id = "classify", Agent = "a" };
        var second = new StepDefinition { Id = "later", Agent = "a" };
        var workflow = new WorkflowDefinition { Id = "flow", Steps = [first, second] };
        var journal = new RunJournal("run-1", TimeProvider.System, Channel.CreateUnbounded<RunEvent>().Writer, 100, dryRun: false, new Dictionary<string, object?>());
        var state = new RunState(workflow, new Dictionary<string, object?> { ["user_input"] = "hello" }, journal, "");
        state.Record(first, StepOutcome.Success(Map(("type", "greeting"), ("score", 0.9))));
        var scope = state.CreateScope();

        var viaStepOutputs = _renderer.Render("${context.step_outputs.classify.type}/${step_outputs.classify.score}", scope);
        var viaSteps = _renderer.Render("${steps.classify.output.type}/${context.steps.classify.output.score}", scope);
        var nativeViaStepOutputs = _renderer.Resolve(Quoted("${context.step_outputs.classify}"), scope);
        var nativeViaSteps = _renderer.Resolve(Quoted("${steps.classify.output}"), scope);

        Assert.Equal("greeting/0.9", viaStepOutputs);
        Assert.Equal(viaStepOutputs, viaSteps);
        Assert.Equal(Map(("type", "greeting"), ("score", 0.9)), nativeViaStepOutputs);
        Assert.Equal(nativeViaStepOutputs, nativeViaSteps);
        Assert.Equal("succeeded", _renderer.Render("${steps.classify.status}", scope));
        Assert.Equal("pending", _renderer.Render("${steps.later.status}", scope));
        Assert.Null(_renderer.Resolve(Quoted("${context.step_outputs.later}"), scope));
        Assert.Equal("hello", _renderer.Render("${context.user_input}", scope));
    }

    [Fact]
    public void Render_InlineObjectAndList_RenderAsJsonNotPythonRepr()
    {
        var scope = Scope(
            ("result", Map(("name", "Zoë"), ("ok", true), ("count", 2L), ("none", null), ("tags", new List<object?> { "a", "b" }))),
            ("list", new List<object?> { "x", 1L, false }));

        var text = _renderer.Render("Result: ${result} List: ${list} Scriban: {{ result }}", scope);

        const string json = """{"name":"Zoë","ok":true,"count":2,"none":null,"tags":["a","b"]}""";
        Assert.Equal($"""Result: {json} List: ["x",1,false] Scriban: {json}""", text);
        Assert.DoesNotContain("'name'", text);
        Assert.DoesNotContain("True", text);
    }

    [Fact]
    public void Render_ScalarsInline_UseInvariantLowercaseText()
    {
        var scope = Scope(("flag", true), ("number", 1.5), ("nothing", null));

        Assert.Equal("true 1.5 []", _renderer.Render("${flag} ${number} [${nothing}]", scope));
    }

    [Fact]
    public void Resolve_WholeValuePlaceholder_ReturnsNativeValues()
    {
        var obj = Map(("a", 1L), ("nested", Map(("b", "c"))));
        var list = new List<object?> { "a", 2L };
        var scope = Scope(("obj", obj), ("list", list), ("flag", true), ("count", 42L), ("ratio", 0.25), ("text", "plain"), ("nothing", null));

        var dictionary = Assert.IsType<Dictionary<string, object?>>(_renderer.Resolve(Quoted("${obj}"), scope));
        Assert.Equal(1L, dictionary["a"]);
        Assert.Equal(Map(("b", "c")), dictionary["nested"]);
        Assert.Equal(list, Assert.IsType<List<object?>>(_renderer.Resolve(Quoted("  ${context.list}  "), scope)));
        Assert.Equal(true, _renderer.Resolve(Quoted("${flag}"), scope));
        Assert.Equal(42L, _renderer.Resolve(Quoted("${count}"), scope));
        Assert.Equal(0.25, _renderer.Resolve(Quoted("${ratio}"), scope));
        Assert.Equal("plain", _renderer.Resolve(Quoted("${text}"), scope));
        Assert.Null(_renderer.Resolve(Quoted("${nothing}"), scope));
        Assert.Equal("c", _renderer.Resolve(Quoted("${obj.nested.b}"), scope));
        Assert.Equal(Map(("b", "c")), _renderer.Resolve(Quoted("{{ obj.nested }}"), scope));
        Assert.Equal(43L, _renderer.Resolve(Quoted("{{ count + 1 }}"), scope));
    }

    [Fact]
    public void Resolve_PlaceholderWithSurroundingText_ReturnsText()
    {
        var scope = Scope(("count", 42L));

        Assert.Equal("n=42", _renderer.Resolve(Quoted("n=${count}"), scope));
        Assert.Equal("4242", _renderer.Resolve(Quoted("${count}${count}"), scope));
    }

    [Fact]
    public void Resolve_MappingsAndSequences_ResolveEveryItem()
    {
        var scope = Scope(("user_input", "hi"), ("obj", Map(("k", "v"))));
        var node = ValueNode.From(Map(
            ("method", "read"),
            ("params", Map(("text", "${user_input}"), ("data", "${obj}"), ("literal", 5L))),
            ("list", new List<object?> { "${user_input}!", true })));

        var resolved = _renderer.Resolve(node, scope);

        var expected = Map(
            ("method", "read"),
            ("params", Map(("text", "hi"), ("data", Map(("k", "v"))), ("literal", 5L))),
            ("list", new List<object?> { "hi!", true }));
        Assert.Equal(expected, resolved);
    }

    [Fact]
    public void Resolve_ScalarWithoutTemplates_KeepsItsYamlType()
    {
        var scope = Scope();

        Assert.Equal(42L, _renderer.Resolve(ValueNode.Scalar("42", At), scope));
        Assert.Equal("42", _renderer.Resolve(ValueNode.Scalar("42", At, isQuoted: true), scope));
        Assert.Equal(false, _renderer.Resolve(ValueNode.Scalar("false", At), scope));
        Assert.Equal("costs $5 {not a template}", _renderer.Resolve(Quoted("costs $5 {not a template}"), scope));
        Assert.Null(_renderer.Resolve(null, scope));
    }

    // ----- strictness -----

    [Fact]
    public void Render_UndefinedVariable_ThrowsTemplateExceptionWithHint()
    {
        var scope = Scope(("user_input", "hi"));

        var error = Assert.Throws<TemplateException>(() => _renderer.Render("Hello ${usr_input}", scope, At));

        Assert.Equal(At, error.Position);
        Assert.StartsWith("flow.yaml:12:7: ", error.Message);
        Assert.Contains("usr_input", error.Message);
        Assert.Contains("steps.<id>.output", error.Message);
    }

    [Fact]
    public void Resolve_UndefinedVariableAsWholeValue_Throws()
    {
        var error = Assert.Throws<TemplateException>(() => _renderer.Resolve(Quoted("${context.missing}"), Scope()));

        Assert.Contains("missing", error.Message);
        Assert.Equal(At, error.Position);
    }

    [Fact]
    public void Render_MissingMember_ThrowsTemplateExceptionWithHint()
    {
        var scope = Scope(("reply", Map(("type", "greeting"))));

        var inline = Assert.Throws<TemplateException>(() => _renderer.Render("Kind: ${reply.kind}", scope, At));
        var whole = Assert.Throws<TemplateException>(() => _renderer.Resolve(Quoted("${reply.kind}"), scope));

        Assert.Contains("kind", inline.Message);
        Assert.Contains("no such field", inline.Message);
        Assert.Contains("kind", whole.Message);
    }

    [Fact]
    public void Render_MemberOfText_Throws()
    {
        var scope = Scope(("reply", "just text"));

        Assert.Throws<TemplateException>(() => _renderer.Render("${reply.type}", scope, At));
    }

    [Fact]
    public void Render_SyntaxError_ThrowsTemplateExceptionAtThePosition()
    {
        var error = Assert.Throws<TemplateException>(() => _renderer.Render("{{ if }}", Scope(), At));

        Assert.Contains("Template syntax error", error.Message);
        Assert.Equal(At, error.Position);
    }

    // ----- cache -----

    [Fact]
    public void Render_SameTemplateRepeatedly_GivesTheSameResultAndUsesEachScope()
    {
        const string template = "Hello ${name}, you are {{ age + 1 }}";
        var ada = Scope(("name", "Ada"), ("age", 36L));
        var alan = Scope(("name", "Alan"), ("age", 41L));

        var first = _renderer.Render(template, ada);
        var second = _renderer.Render(template, ada);
        var other = _renderer.Render(template, alan);
        var again = _renderer.Render(template, ada);

        Assert.Equal("Hello Ada, you are 37", first);
        Assert.Equal(first, second);
        Assert.Equal("Hello Alan, you are 42", other);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Render_SameTextAsTemplateAndAsExpression_AreCachedSeparately()
    {
        var scope = Scope();

        Assert.Equal("1 + 2", _renderer.Render("1 + 2", scope));
        Assert.Equal(3L, _renderer.Evaluate("1 + 2", scope));
        Assert.Equal("1 + 2", _renderer.Render("1 + 2", scope));
        Assert.Equal(3L, _renderer.Evaluate("1 + 2", scope));
    }

    [Fact]
    public void Render_RepeatedSyntaxError_ThrowsEveryTime()
    {
        Assert.Throws<TemplateException>(() => _renderer.Render("{{ 1 + }}", Scope()));
        Assert.Throws<TemplateException>(() => _renderer.Render("{{ 1 + }}", Scope()));
    }

    // ----- conditions -----

    [Theory]
    [InlineData("${x.success} == true", true)]
    [InlineData("${context.x.success} == true", true)]
    [InlineData("${x.failed} == true", false)]
    [InlineData("${x.success}", true)]
    [InlineData("${x.failed}", false)]
    [InlineData("${x.priority} == 'high'", true)]
    [InlineData("${x.priority} == 'low'", false)]
    [InlineData("'${x.priority}' == 'high'", true)]
    [InlineData("\"${x.priority}\" == \"high\"", true)]
    [InlineData("${x.priority} != 'low'", true)]
    [InlineData("${x.text} contains 'world'", true)]
    [InlineData("${x.text} contains 'mars'", false)]
    [InlineData("${x.tags} contains 'a'", true)]
    [InlineData("'b' in ${x.tags}", true)]
    [InlineData("'z' in ${x.tags}", false)]
    [InlineData("'world' in ${x.text}", true)]
    [InlineData("${x.priority} in ['high', 'urgent']", true)]
    [InlineData("${x.priority} in ['low', 'medium']", false)]
    [InlineData("${x.priority} not in ['low', 'medium']", true)]
    [InlineData("${x.priority} not in ['high']", false)]
    [InlineData("not ${x.priority} in ['high']", false)]
    [InlineData("${x.success} == true && ${x.count} > 2", true)]
    [InlineData("${x.success} == true && ${x.count} > 5", false)]
    [InlineData("${x.failed} == true || ${x.priority} == 'high'", true)]
    [InlineData("${x.failed} == true || ${x.priority} == 'low'", false)]
    [InlineData("${x.success} == True and ${x.count} >= 3", true)]
    [InlineData("${x.success} == False or ${x.count} == 3", true)]
    [InlineData("${x.success} == False or ${x.count} == 4", false)]
    [InlineData("not ${x.failed}", true)]
    [InlineData("${x.nothing} == None", true)]
    [InlineData("${x.priority} in ['high'] and ${x.text} contains 'hello'", true)]
    [InlineData("${x.ratio} < 1", true)]
    [InlineData("{{ x.count > 2 }}", true)]
    [InlineData("x.count == 3", true)]
    public void EvaluateCondition_LangSwarmAndScribanSyntax_GivesExpectedResult(string condition, bool expected)
    {
        Assert.Equal(expected, _renderer.EvaluateCondition(Quoted(condition), ConditionScope()));
    }

    [Fact]
    public void EvaluateCondition_SuccessIsBoolFalse_IsFalse()
    {
        Assert.False(_renderer.EvaluateCondition(Quoted("${x.success} == true"), ConditionScope(success: false)));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    public void EvaluateCondition_PlainBooleanLiteral_IsTakenAsIs(string text, bool expected)
    {
        Assert.Equal(expected, _renderer.EvaluateCondition(ValueNode.Scalar(text, At), Scope()));
    }

    [Fact]
    public void EvaluateCondition_NonScalar_ThrowsTemplateException()
    {
        var node = ValueNode.Sequence([Quoted("a")], At);

        var error = Assert.Throws<TemplateException>(() => _renderer.EvaluateCondition(node, Scope()));

        Assert.Contains("must be text", error.Message);
    }

    [Fact]
    public void EvaluateCondition_UnknownVariable_ThrowsRatherThanReturningFalse()
    {
        Assert.Throws<TemplateException>(() => _renderer.EvaluateCondition(Quoted("${y.success} == true"), ConditionScope()));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("no", true)]
    [InlineData(0L, false)]
    [InlineData(2L, true)]
    [InlineData(0.0, false)]
    public void IsTruthy_Values_FollowScribanLikeRules(object? value, bool expected)
    {
        Assert.Equal(expected, TemplateRenderer.IsTruthy(value));
    }

    [Fact]
    public void IsTruthy_Collections_AreTrueWhenNotEmpty()
    {
        Assert.False(TemplateRenderer.IsTruthy(new List<object?>()));
        Assert.True(TemplateRenderer.IsTruthy(new List<object?> { 1L }));
        Assert.False(TemplateRenderer.IsTruthy(new Dictionary<string, object?>()));
    }

    // ----- helpers exposed to templates -----

    [Fact]
    public void Evaluate_JsonFunction_SerializesObjects()
    {
        var scope = Scope(("obj", Map(("a", 1L), ("b", new List<object?> { "x" }))));

        Assert.Equal("""{"a":1,"b":["x"]}""", _renderer.Evaluate("json obj", scope));
        Assert.Equal("""Payload {"a":1,"b":["x"]}""", _renderer.Render("Payload {{ json(obj) }}", scope));
    }

    [Fact]
    public void Evaluate_ContainsFunction_ChecksTextListsAndMapKeys()
    {
        var scope = Scope(("obj", Map(("key", 1L))), ("list", new List<object?> { 1L, "two" }), ("text", "abc"));

        Assert.Equal(true, _renderer.Evaluate("contains(obj, 'key')", scope));
        Assert.Equal(false, _renderer.Evaluate("contains(obj, 'nope')", scope));
        Assert.Equal(true, _renderer.Evaluate("contains(list, 1)", scope));
        Assert.Equal(true, _renderer.Evaluate("contains(list, '1')", scope));
        Assert.Equal(true, _renderer.Evaluate("contains(text, 'b')", scope));
        Assert.Equal(false, _renderer.Evaluate("contains(null, 'b')", scope));
    }

    [Fact]
    public void With_ExtraVariable_IsVisibleOnlyInTheNewScope()
    {
        var scope = Scope(("a", 1L));

        var extended = scope.With("item", "x");

        Assert.Equal("1 x", _renderer.Render("${a} ${item}", extended));
        Assert.Throws<TemplateException>(() => _renderer.Render("${item}", scope));
    }
}
