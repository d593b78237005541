using Microsoft.Extensions.Options;
using WorkflowEngine.Definitions;
using WorkflowEngine.Tools;
using WorkflowEngine.Validation;

namespace WorkflowEngine.Hosting;

/// <summary>Loads every <see cref="DefinitionSource"/> once, on first use, and validates the result.</summary>
internal sealed class DefinitionCatalog : IDefinitionCatalog
{
    private readonly Lazy<(DefinitionSet Set, IReadOnlyList<Diagnostic> Diagnostics)> _loaded;

    public DefinitionCatalog(IEnumerable<DefinitionSource> sources, IToolCatalog tools, DefinitionValidator validator, IOptions<WorkflowEngineOptions> options)
    {
        _loaded = new(() =>
        {
            var loader = new DefinitionLoader(options: options.Value);
            var set = sources.Aggregate(new DefinitionSet(), (all, source) => all.Merge(source.Load(loader)));
            return (set, validator.Validate(set, tools));
        });
    }

    public DefinitionSet Definitions => _loaded.Value.Set;

    public IReadOnlyList<Diagnostic> Diagnostics => _loaded.Value.Diagnostics;
}
