using WorkflowEngine.Definitions;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Hosting;

/// <summary>The loaded and validated definitions, read once.</summary>
public interface IDefinitionCatalog
{
    /// <summary>The definitions.</summary>
    DefinitionSet Definitions { get; }

    /// <summary>Every problem found while loading and validating, errors and warnings.</summary>
    IReadOnlyList<Diagnostic> Diagnostics { get; }
}
