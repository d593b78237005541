namespace WorkflowEngine.Workflows.Tests.OverDaytona;

// The seven workflows' tests again, with the tool on the Daytona REST provider talking to a Daytona-compatible
// server on 127.0.0.1 (the one `wfe serve` runs) over the same local provider.

/// <summary><see cref="CleanupWorkflowTests"/> over Daytona's API.</summary>
public sealed class CleanupWorkflowOverDaytonaTests : CleanupWorkflowTests
{
    /// <inheritdoc />
    protected override string Backend => "daytona";
}

/// <summary><see cref="CreateDevelopmentEnvironmentTests"/> over Daytona's API.</summary>
public sealed class CreateDevelopmentEnvironmentOverDaytonaTests : CreateDevelopmentEnvironmentTests
{
    /// <inheritdoc />
    protected override string Backend => "daytona";
}

/// <summary><see cref="ExecuteCodeWorkflowTests"/> over Daytona's API.</summary>
public sealed class ExecuteCodeWorkflowOverDaytonaTests : ExecuteCodeWorkflowTests
{
    /// <inheritdoc />
    protected override string Backend => "daytona";
}

/// <summary><see cref="FullDevelopmentCycleTests"/> over Daytona's API.</summary>
public sealed class FullDevelopmentCycleOverDaytonaTests : FullDevelopmentCycleTests
{
    /// <inheritdoc />
    protected override string Backend => "daytona";
}

/// <summary><see cref="GitWorkflowTests"/> over Daytona's API.</summary>
public sealed class GitWorkflowOverDaytonaTests : GitWorkflowTests
{
    /// <inheritdoc />
    protected override string Backend => "daytona";
}

/// <summary><see cref="ManageFilesWorkflowTests"/> over Daytona's API.</summary>
public sealed class ManageFilesWorkflowOverDaytonaTests : ManageFilesWorkflowTests
{
    /// <inheritdoc />
    protected override string Backend => "daytona";
}

/// <summary><see cref="UseDaytonaEnvironmentToolTests"/> over Daytona's API.</summary>
public sealed class UseDaytonaEnvironmentToolOverDaytonaTests : UseDaytonaEnvironmentToolTests
{
    /// <inheritdoc />
    protected override string Backend => "daytona";
}
