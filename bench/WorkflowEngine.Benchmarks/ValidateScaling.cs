using System.Diagnostics;
using System.Globalization;
using System.Text;
using WorkflowEngine.Definitions;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;
using WorkflowEngine.Tools;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Benchmarks;

/// <summary>
/// Loads and validates generated definition files of growing size, side by side in one process, to show that the
/// time grows linearly with the size: <c>validate-scaling [MiB...]</c> (default 8 16 32). Two shapes: many small
/// workflows, and one workflow with many steps. The size cap is raised for the run.
/// </summary>
internal static class ValidateScaling
{
    public static void Run(IReadOnlyList<int> sizes)
    {
        var options = new WorkflowEngineOptions { MaxDefinitionFileBytes = (long)sizes.Max() * 1024 * 1024 * 2 };
        var validator = new DefinitionValidator(new TemplateRenderer());
        var tools = new ToolCatalog([]);
        // CPU time next to wall time: on a machine shared with other work, CPU time shows the growth more faithfully.
        Console.WriteLine("shape  MiB   steps     load s   validate s   total s   cpu s   µs/step (wall)");
        foreach (var shape in new[] { "many", "one" })
        {
            // Warm up the JIT on a small file so the first size is not charged for it.
            Measure(Generate(shape, 1), options, validator, tools);
            foreach (var size in sizes)
            {
                var (yaml, steps) = Generate(shape, size);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var (load, validate) = Measure((yaml, steps), options, validator, tools);
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var total = load + validate;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{shape,-5}  {size,3}  {steps,7}  {load,9:F2}  {validate,11:F2}  {total,8:F2}  {cpu.TotalSeconds,6:F2}  {total * 1e6 / steps,8:F2}"));
            }
        }
    }

    private static (double Load, double Validate) Measure((string Yaml, int Steps) input, WorkflowEngineOptions options, DefinitionValidator validator, IToolCatalog tools)
    {
        var watch = Stopwatch.StartNew();
        var set = new DefinitionLoader(_ => null, options).LoadYaml(input.Yaml, "big.yaml");
        var load = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var diagnostics = validator.Validate(set, tools);
        var validate = watch.Elapsed.TotalSeconds;
        if (diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new InvalidOperationException($"The generated file is invalid: {error}");
        }

        return (load, validate);
    }

    /// <summary>About <paramref name="mebibytes"/> MiB of workflows whose steps route and refer to each other.</summary>
    private static (string Yaml, int Steps) Generate(string shape, int mebibytes)
    {
        var target = mebibytes * 1024 * 1024;
        var yaml = new StringBuilder("agents:\n  - id: echo\n    agent_type: builtin\n    builtin: echo\nworkflows:\n");
        var steps = 0;
        if (shape == "one")
        {
            yaml.Append("  big:\n    steps:\n");
        }

        for (var i = 0; yaml.Length < target; i++)
        {
            if (shape == "many")
            {
                yaml.Append(CultureInfo.InvariantCulture,
                    $"  w{i}:\n    steps:\n      - id: s1\n        agent: echo\n        input: \"${{user_input}} {i}\"\n        output: {{ to: s2 }}\n      - id: s2\n        agent: echo\n        input: \"${{steps.s1.output}}\"\n");
                steps += 2;
            }
            else
            {
                yaml.Append(CultureInfo.InvariantCulture,
                    $"      - id: s{i}\n        agent: echo\n        input: \"${{steps.s{Math.Max(i - 1, 0)}.output}} x\"\n");
                steps++;
            }
        }

        return (yaml.ToString(), steps);
    }
}
