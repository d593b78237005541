using WorkflowEngine.Workflows.Tests.Support;

namespace WorkflowEngine.Workflows.Tests;

public sealed class DefinitionsTests
{
    [Fact]
    public async Task Load_ShippedAgentsWorkflowsAndTools_HasNoDiagnostics()
    {
        await using var host = WorkflowHost.Create();

        var catalog = host.Catalog;

        Assert.True(catalog.Diagnostics.Count == 0, "Diagnostics:\n" + string.Join("\n", catalog.Diagnostics));
        string[] shipped =
        [
            "use_daytona_environment_tool", "create_development_environment", "execute_code_workflow", "manage_files_workflow",
            "git_workflow", "full_development_cycle", "cleanup_workflow",
        ];
        var loaded = catalog.Definitions.Workflows.Select(w => w.Id).ToList();
        Assert.Empty(shipped.Except(loaded));
    }

    [Fact]
    public async Task Load_DeniedMethodToolsYaml_HasNoDiagnostics()
    {
        await using var host = WorkflowHost.Create(WorkflowHost.ToolsYamlDenying("delete_sandbox"));

        Assert.True(host.Catalog.Diagnostics.Count == 0, "Diagnostics:\n" + string.Join("\n", host.Catalog.Diagnostics));
    }
}
