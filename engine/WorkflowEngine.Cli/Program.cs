using System.CommandLine;
using WorkflowEngine.Cli.Commands;

var pathOption = new Option<string[]>("--path", "-p")
{
    Description = "Definition files or folders (default: agents/, workflows/, tools.yaml)",
    AllowMultipleArgumentsPerToken = true,
};

var root = new RootCommand("wfe: run LangSwarm-format YAML workflows")
{
    ValidateCommand.Create(),
    RunCommand.Create(pathOption),
    GraphCommand.Create(pathOption),
    TestCommand.Create(pathOption),
    WorkflowEngine.Cli.Sandboxes.SandboxCommand.Create(),
    ServeCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
