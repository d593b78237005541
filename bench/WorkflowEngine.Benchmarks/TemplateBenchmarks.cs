using BenchmarkDotNet.Attributes;
using Scriban;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Benchmarks;

/// <summary>Rendering a step input with the engine's cached templates against parsing the template every time.</summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private const string Text = "User request: ${context.step_outputs.normalize}\nAction: ${steps.classify.output.type} (${steps.classify.output.confidence})";
    private readonly TemplateRenderer _renderer = new();
    private TemplateScope _scope = null!;

    [GlobalSetup]
    public void Setup() => _scope = new TemplateScope(new Dictionary<string, object?>
    {
        ["steps"] = new Dictionary<string, object?>
        {
            ["classify"] = new Dictionary<string, object?> { ["output"] = new Dictionary<string, object?> { ["type"] = "execute_code", ["confidence"] = 0.9 } },
        },
        ["step_outputs"] = new Dictionary<string, object?> { ["normalize"] = "Run print(1)" },
    });

    [Benchmark(Baseline = true)]
    public string RenderCached() => _renderer.Render(Text, _scope);

    [Benchmark]
    public string ParseEveryTime()
    {
        var template = Template.Parse(PlaceholderSyntax.ToTemplate(Text));
        var context = new TemplateContext { StrictVariables = true };
        context.PushGlobal(_scope.Globals);
        return template.Render(context);
    }
}
