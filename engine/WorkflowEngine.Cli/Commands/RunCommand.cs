using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Runtime;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Cli.Commands;

/// <summary><c>wfe run WORKFLOW "REQUEST" [--json] [--dry-run]</c>: runs a workflow; exit 1 when it fails.</summary>
internal static class RunCommand
{
    public static IReadOnlyList<string> PathsOrDefault(string[]? paths) => paths is { Length: > 0 } ? paths : EngineHost.DefaultPaths();

    public static Command Create(Option<string[]> pathOption)
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow id" };
        var request = new Argument<string>("request") { Description = "The request, passed as user_input and user_query", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the run result as JSON" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Run the agents but only plan tool calls" };
        var agents = new Option<string>("--agents") { Description = "builtin, llm or auto (LLM when OPENAI_API_KEY or OPENAI_BASE_URL is set)", DefaultValueFactory = _ => "auto" };
        agents.AcceptOnlyFromAmong("builtin", "llm", "auto");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log each step to stderr" };
        var session = new Option<string?>("--session") { Description = "Keep the session's current sandbox under WFE_HOME, so later runs reach \"my environment\"" };
        var keep = new Option<bool>("--keep") { Description = "Keep the sandboxes this run creates (by default non-persistent ones are deleted at the end)" };
        var user = new Option<string?>("--user") { Description = "The caller, for tools with permission: authenticated" };
        var backend = new Option<string?>("--backend") { Description = "Sandbox backend: local, daytona or auto (daytona when DAYTONA_API_KEY is set); default: the tool's config.backend, else auto" };
        backend.AcceptOnlyFromAmong("local", "daytona", "auto");
        var command = new Command("run", "Run a workflow") { workflow, request, json, dryRun, agents, verbose, session, keep, user, backend, pathOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var mode = Enum.Parse<AgentMode>(parse.GetValue(agents)!, ignoreCase: true);
            await using var provider = EngineHost.Build(PathsOrDefault(parse.GetValue(pathOption)), mode, parse.GetValue(dryRun), parse.GetValue(verbose));
            var text = parse.GetValue(request) ?? "";
            var inputs = new Dictionary<string, object?> { ["user_input"] = text, ["user_query"] = text, ["keep"] = parse.GetValue(keep) };
            if (parse.GetValue(session) is { } sessionName)
            {
                if (!WorkflowEngine.Daytona.Tool.SandboxSessions.IsValidName(sessionName))
                {
                    Console.Error.WriteLine($"error: --session '{sessionName}' is not valid; use letters, digits, '.', '_' or '-'.");
                    return 2;
                }

                inputs["session"] = sessionName;
            }

            if (parse.GetValue(user) is { } userName)
            {
                inputs["user"] = userName;
            }

            if (parse.GetValue(backend) is { } backendName)
            {
                inputs["backend"] = backendName;
            }

            RunResult result;
            try
            {
                result = await provider.GetRequiredService<IWorkflowRunner>().RunAsync(parse.GetValue(workflow)!, inputs, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("Cancelled.");
                return 130;
            }

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(ToJson(result));
            }
            else if (result.Succeeded)
            {
                Console.Out.WriteLine(PlainData.ToText(result.Output));
            }

            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"error: {result.Error}");
                foreach (var diagnostic in result.Diagnostics.Skip(1).Take(20))
                {
                    Console.Error.WriteLine(diagnostic);
                }
            }

            return result.Succeeded ? 0 : 1;
        });
        return command;
    }

    /// <summary>The documented JSON shape of a run result.</summary>
    public static string ToJson(RunResult result)
    {
        var document = new Dictionary<string, object?>
        {
            ["run_id"] = result.RunId,
            ["workflow"] = result.Workflow,
            ["status"] = result.Status.ToString().ToLowerInvariant(),
            ["output"] = result.Output,
            ["error"] = result.Error,
            ["steps"] = result.Steps.Select(s => new Dictionary<string, object?>
            {
                ["id"] = s.Id,
                ["status"] = s.Status.ToString().ToLowerInvariant(),
                ["duration_ms"] = Math.Round(s.Duration.TotalMilliseconds, 3),
                ["attempts"] = s.Attempts,
                ["error"] = s.Error,
            }).ToList(),
            ["tool_calls"] = result.ToolCalls.Select(c => new Dictionary<string, object?>
            {
                ["tool"] = c.Tool,
                ["method"] = c.Method,
                ["params"] = c.Params,
                ["result"] = c.Result,
            }).ToList(),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions(PlainData.JsonOptions) { WriteIndented = true });
    }
}
