namespace WorkflowEngine.Agents.Tests.Support;

/// <summary>A fact that is skipped, with a reason, when ../shared/eval/intents.yaml is not next to the repository.</summary>
public sealed class IntentsFileFactAttribute : FactAttribute
{
    public IntentsFileFactAttribute()
    {
        if (RepositoryPaths.PublicIntents is null)
        {
            Skip = "../shared/eval/intents.yaml was not found next to the folder holding WorkflowEngine.sln.";
        }
    }
}
