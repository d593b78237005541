namespace WorkflowEngine.Definitions;

/// <summary>A workflow: an ordered list of steps and the routes between them.</summary>
public sealed record WorkflowDefinition
{
    /// <summary>The unique id used by <c>wfe run</c> and sub-workflow steps.</summary>
    public required string Id { get; init; }

    /// <summary>What the workflow does.</summary>
    public string? Description { get; init; }

    /// <summary>The input names the workflow documents (informational).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>The steps; the run starts at the first.</summary>
    public required IReadOnlyList<StepDefinition> Steps { get; init; }

    /// <summary>Where the workflow is defined.</summary>
    public SourcePosition Position { get; init; } = SourcePosition.None;

    /// <summary>Finds a step by id.</summary>
    public StepDefinition? FindStep(string id) => Steps.FirstOrDefault(s => s.Id == id);

    /// <summary>The step after <paramref name="step"/> in list order, or <see langword="null"/> at the end.</summary>
    public StepDefinition? NextAfter(StepDefinition step)
    {
        for (var index = 0; index + 1 < Steps.Count; index++)
        {
            if (ReferenceEquals(Steps[index], step))
            {
                return Steps[index + 1];
            }
        }

        return null;
    }
}
