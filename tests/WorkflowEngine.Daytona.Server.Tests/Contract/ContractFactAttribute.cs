namespace WorkflowEngine.Daytona.Server.Tests.Contract;

/// <summary>A fact that needs the Daytona contract documents; skipped with the reason when they are not next to the repository.</summary>
public class ContractFactAttribute : FactAttribute
{
    public ContractFactAttribute()
    {
        if (OpenApiContract.FindReferenceDirectory() is null)
        {
            Skip = $"The Daytona contract (api.json and toolbox.json) was not found in '<repo>/../{OpenApiContract.ReferenceRelativePath}' "
                + $"above {AppContext.BaseDirectory} (or in ${OpenApiContract.ReferenceEnvironmentVariable}).";
        }
    }
}

/// <summary>A contract fact that also runs real local sandboxes: skipped when bubblewrap is missing or the OS is not Linux.</summary>
public sealed class SandboxContractFactAttribute : ContractFactAttribute
{
    public const string BwrapPath = "/usr/bin/bwrap";

    public SandboxContractFactAttribute()
    {
        if (Skip is null && !OperatingSystem.IsLinux())
        {
            Skip = "The local sandbox provider runs on Linux only.";
        }
        else if (Skip is null && !File.Exists(BwrapPath))
        {
            Skip = $"The local sandbox provider needs bubblewrap at {BwrapPath}.";
        }
    }
}
