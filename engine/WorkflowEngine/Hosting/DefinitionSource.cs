using WorkflowEngine.Definitions;

namespace WorkflowEngine.Hosting;

/// <summary>Where definitions come from: files and folders, YAML text, or definitions built in code.</summary>
public sealed record DefinitionSource(Func<DefinitionLoader, DefinitionSet> Load);
