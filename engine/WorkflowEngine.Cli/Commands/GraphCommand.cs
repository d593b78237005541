using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Hosting;
using WorkflowEngine.Visualization;

namespace WorkflowEngine.Cli.Commands;

/// <summary><c>wfe graph WORKFLOW</c>: prints a Mermaid flowchart of the workflow's steps and routes.</summary>
internal static class GraphCommand
{
    public static Command Create(Option<string[]> pathOption)
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow id" };
        var command = new Command("graph", "Print a Mermaid flowchart of a workflow") { workflow, pathOption };
        command.SetAction(parse =>
        {
            using var provider = EngineHost.Build(RunCommand.PathsOrDefault(parse.GetValue(pathOption)));
            var definitions = provider.GetRequiredService<IDefinitionCatalog>().Definitions;
            var id = parse.GetValue(workflow)!;
            if (definitions.FindWorkflow(id) is not { } found)
            {
                Console.Error.WriteLine($"error: workflow '{id}' not found.{WorkflowEngine.Validation.Suggestions.DidYouMean(id, definitions.Workflows.Select(w => w.Id))} Available: {string.Join(", ", definitions.Workflows.Select(w => w.Id))}");
                return 1;
            }

            Console.Out.Write(MermaidGraphWriter.Write(found));
            return 0;
        });
        return command;
    }
}
