using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Runtime;
using WorkflowEngine.Templating;
using WorkflowEngine.Testing;

namespace WorkflowEngine.Cli.Commands;

/// <summary><c>wfe test CASES.yaml [--json]</c>: runs each case through its workflow in dry-run mode and checks the planned tool calls.</summary>
internal static class TestCommand
{
    public static Command Create(Option<string[]> pathOption)
    {
        var file = new Argument<string>("cases") { Description = "A case file: workflow: <id>, cases: [{name, input, expect: {calls: [...]}}]" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var agents = new Option<string>("--agents") { Description = "builtin, llm or auto", DefaultValueFactory = _ => "auto" };
        agents.AcceptOnlyFromAmong("builtin", "llm", "auto");
        var command = new Command("test", "Check the tool calls workflows plan for natural-language requests") { file, json, agents, pathOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (cases, errors) = IntentCaseFile.Load(parse.GetValue(file)!);
            if (cases is null)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine($"error: {error}");
                }

                return 2;
            }

            var mode = Enum.Parse<AgentMode>(parse.GetValue(agents)!, ignoreCase: true);
            await using var provider = EngineHost.Build(RunCommand.PathsOrDefault(parse.GetValue(pathOption)), mode, dryRun: true);
            var runner = provider.GetRequiredService<IWorkflowRunner>();
            var results = new List<Dictionary<string, object?>>();
            foreach (var testCase in cases.Cases)
            {
                var run = await runner.RunAsync(cases.Workflow, new Dictionary<string, object?> { ["user_input"] = testCase.Input, ["user_query"] = testCase.Input }, cancellationToken);
                var mismatch = run.Succeeded || run.ToolCalls.Count > 0
                    ? CallMatcher.Mismatch(testCase.ExpectedCalls, run.ToolCalls)
                    : $"the run failed: {run.Error}";
                results.Add(new Dictionary<string, object?>
                {
                    ["name"] = testCase.Name,
                    ["passed"] = mismatch is null,
                    ["detail"] = mismatch,
                    ["planned"] = run.ToolCalls.Select(c => (object?)new Dictionary<string, object?> { ["method"] = c.Method, ["params"] = c.Params }).ToList(),
                });
                if (!parse.GetValue(json))
                {
                    Console.Out.WriteLine(mismatch is null ? $"PASS {testCase.Name}" : $"FAIL {testCase.Name}: {mismatch}");
                }
            }

            var passed = results.Count(r => (bool)r["passed"]!);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions(PlainData.JsonOptions) { WriteIndented = true }));
            }

            Console.Out.WriteLine($"{passed} passed, {results.Count - passed} failed");
            return passed == results.Count ? 0 : 1;
        });
        return command;
    }
}
