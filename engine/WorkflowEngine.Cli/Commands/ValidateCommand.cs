using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Hosting;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Cli.Commands;

/// <summary><c>wfe validate [PATH...]</c>: prints every problem compiler-style; exit 1 when there are errors.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "Definition files or folders (default: agents/, workflows/, tools.yaml)" };
        var command = new Command("validate", "Check agents, workflows and tools for errors") { paths };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(paths) ?? [];
            var resolved = given.Length > 0 ? given : EngineHost.DefaultPaths();
            if (resolved.Count == 0)
            {
                Console.Error.WriteLine("error: no definitions found. Pass files or folders, or run from a folder with agents/, workflows/ or tools.yaml.");
                return 1;
            }

            using var provider = EngineHost.Build(resolved);
            var catalog = provider.GetRequiredService<IDefinitionCatalog>();
            foreach (var diagnostic in catalog.Diagnostics)
            {
                Console.Out.WriteLine(diagnostic);
            }

            var errors = catalog.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            var warnings = catalog.Diagnostics.Count - errors;
            var set = catalog.Definitions;
            Console.Error.WriteLine($"{errors} error(s), {warnings} warning(s) in {set.Agents.Count} agent(s), {set.Workflows.Count} workflow(s), {set.Tools.Count} tool(s).");
            return errors > 0 ? 1 : 0;
        });
        return command;
    }
}
