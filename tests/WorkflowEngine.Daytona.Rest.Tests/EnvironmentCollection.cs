namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>Tests that set process environment variables: they run alone, after the parallel ones, so nothing else sees the variables.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "process environment";
}
