using WorkflowEngine.Daytona.Tool;
using WorkflowEngine.Daytona.Tool.Methods;
using WorkflowEngine.Hosting;
using WorkflowEngine.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>daytona_environment</c> tool.</summary>
public static class DaytonaEnvironmentBuilderExtensions
{
    /// <summary>The tool's name in steps, <c>local://</c> URLs and <c>tools.yaml</c> types.</summary>
    public const string ToolName = "daytona_environment";

    /// <summary>
    /// Adds the tool's eight methods (typed requests handled by this assembly's handlers). A sandbox provider must
    /// also be registered, such as <c>services.AddLocalSandboxes()</c>.
    /// </summary>
    /// <param name="builder">The engine builder.</param>
    /// <param name="dataDirectory">Where sessions are kept; default <c>WFE_HOME</c> (else <c>/var/lib/wfe</c> as root or <c>~/.local/share/wfe</c>).</param>
    public static WorkflowEngineBuilder AddDaytonaEnvironment(this WorkflowEngineBuilder builder, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(new SandboxSessions(dataDirectory ?? WorkflowEngineOptions.DefaultDataDirectory()));
        services.AddSingleton<SandboxProviderSelector>();
        services.AddSingleton<RunSandboxes>();
        services.AddSingleton<IRunLifecycle>(sp => sp.GetRequiredService<RunSandboxes>());
        services.AddSingleton<SandboxTargets>();
        return builder.AddTool(ToolName, tool =>
        {
            tool.Description = "Secure sandboxes for AI agents: create them, run code and shell commands, manage files and use git.";
            tool.Planner = new DaytonaToolPlanner();
            tool.AddMethod<CreateSandboxRequest>("create_sandbox", "Create a sandbox.")
                .AddMethod<ExecuteCodeRequest>("execute_code", "Run code in a sandbox.")
                .AddMethod<ExecuteShellRequest>("execute_shell", "Run a shell command in a sandbox.")
                .AddMethod<FileOperationRequest>("file_operation", "Read, write, list, delete, upload or download a file.")
                .AddMethod<GitOperationRequest>("git_operation", "Clone, pull, push, status, commit, checkout, add, branches or log.")
                .AddMethod<ListSandboxesRequest>("list_sandboxes", "List sandboxes.")
                .AddMethod<DeleteSandboxRequest>("delete_sandbox", "Delete a sandbox.")
                .AddMethod<GetSandboxInfoRequest>("get_sandbox_info", "Describe a sandbox.");
        });
    }
}
