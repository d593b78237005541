using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace WorkflowEngine.Definitions;

/// <summary>
/// Passes YAML events through and stops, with a <see cref="YamlLimitException"/> at the offending node, as soon as
/// mappings and sequences nest deeper than allowed or aliases would expand to more nodes than allowed. YamlDotNet's
/// scanner and parser are iterative; what comes after (loading the representation model, converting it) recurses,
/// so checking each event as it is read bounds the stack and the expansion before any of that happens.
/// </summary>
internal sealed class LimitedYamlParser(IParser inner, int maxDepth, long maxAliasNodes) : IParser
{
    /// <summary>A scalar of this many characters counts as one more node, so that repeating a long text counts too.</summary>
    private const int CharactersPerNode = 1000;

    private readonly Stack<(string? Anchor, long Size)> _open = new();
    private readonly Dictionary<string, long> _anchors = new(StringComparer.Ordinal);
    private long _aliasNodes;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case DocumentStart:
                // Anchors are per document; the alias budget is per file.
                _anchors.Clear();
                break;
            case MappingStart or SequenceStart:
                if (_open.Count >= maxDepth)
                {
                    throw Limit(inner.Current, $"Mappings and lists nest more than {maxDepth} levels deep here. Flatten the structure, or raise WorkflowEngineOptions.MaxYamlNestingDepth.");
                }

                _open.Push((AnchorOf((NodeEvent)inner.Current), 1));
                break;
            case MappingEnd or SequenceEnd:
                var (anchor, size) = _open.Pop();
                Complete(anchor, size);
                break;
            case Scalar scalar:
                Complete(AnchorOf(scalar), 1 + (scalar.Value.Length / CharactersPerNode));
                break;
            case AnchorAlias alias:
                Expand(alias);
                break;
        }

        return true;
    }

    private void Expand(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (!_anchors.TryGetValue(name, out var size))
        {
            if (_open.Any(o => o.Anchor == name))
            {
                throw Limit(alias, $"Alias '*{name}' refers to a node that contains it, which would repeat forever. Remove the alias.");
            }

            // An unknown anchor: the loader reports it.
            return;
        }

        _aliasNodes += size;
        if (_aliasNodes > maxAliasNodes)
        {
            throw Limit(alias, $"Aliases expand to more than {maxAliasNodes:N0} nodes in this file (alias '*{name}' alone adds {size:N0}). Write the values out, use fewer aliases, or raise WorkflowEngineOptions.MaxYamlAliasNodes.");
        }

        AddToParent(size);
    }

    private void Complete(string? anchor, long size)
    {
        if (anchor is not null)
        {
            _anchors[anchor] = size;
        }

        AddToParent(size);
    }

    private void AddToParent(long size)
    {
        if (_open.TryPop(out var parent))
        {
            _open.Push((parent.Anchor, parent.Size + size));
        }
    }

    private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;

    private static YamlLimitException Limit(ParsingEvent at, string message) => new(at.Start, at.End, message);
}
