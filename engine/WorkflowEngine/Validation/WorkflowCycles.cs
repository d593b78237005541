using WorkflowEngine.Definitions;

namespace WorkflowEngine.Validation;

/// <summary>
/// Finds workflows that call themselves through <c>workflow:</c> steps, directly or through others. Each group of
/// workflows that reach one another (a strongly connected component) is one error, naming one cycle in it and the
/// position of every invoking step on that cycle. Iterative, and linear in workflows plus steps, so that a hostile
/// file with a long chain or a dense web of calls cannot exhaust the stack or the time.
/// </summary>
internal static class WorkflowCycles
{
    /// <summary>One diagnostic per cycle group, at the first invoking step of the cycle.</summary>
    public static IEnumerable<Diagnostic> Find(IReadOnlyDictionary<string, WorkflowDefinition> workflows)
    {
        // Edges: workflow -> (callee, first step that calls it).
        var edges = workflows.Values.ToDictionary(
            w => w.Id,
            w => w.Steps
                .Where(s => s.Kind == StepKind.Workflow && workflows.ContainsKey(s.Workflow!))
                .DistinctBy(s => s.Workflow, StringComparer.Ordinal)
                .Select(s => (Callee: s.Workflow!, Step: s))
                .ToList(),
            StringComparer.Ordinal);

        foreach (var component in StronglyConnected(workflows.Keys, edges))
        {
            var members = component.ToHashSet(StringComparer.Ordinal);
            var start = component.MinBy(id => workflows[id].Position, PositionOrder.Instance)!;
            if (members.Count == 1 && !edges[start].Any(e => e.Callee == start))
            {
                continue;
            }

            var cycle = ShortestCycle(start, members, edges);
            var chain = string.Join(" → ", cycle.Select(c => c.Caller).Append(start));
            var steps = string.Join(", ", cycle.Select(c => $"'{c.Caller}' step '{c.Step.Id}' at {c.Step.ActionPosition}"));
            yield return Diagnostic.Error(cycle[0].Step.ActionPosition,
                $"Workflow cycle: {chain} ({steps}). A workflow must not call itself, directly or through others: the run would never end. " +
                "Repeat work with a route back to an earlier step (`output: {to: ...}` with a condition) instead.");
        }
    }

    /// <summary>Breadth first from <paramref name="start"/> back to it, inside the component.</summary>
    private static List<(string Caller, StepDefinition Step)> ShortestCycle(
        string start, HashSet<string> members, Dictionary<string, List<(string Callee, StepDefinition Step)>> edges)
    {
        var cameFrom = new Dictionary<string, (string Caller, StepDefinition Step)>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var (callee, step) in edges[current])
            {
                if (!members.Contains(callee) || cameFrom.ContainsKey(callee))
                {
                    continue;
                }

                cameFrom[callee] = (current, step);
                if (callee == start)
                {
                    queue.Clear();
                    break;
                }

                queue.Enqueue(callee);
            }
        }

        var path = new List<(string Caller, StepDefinition Step)>();
        var node = start;
        do
        {
            var edge = cameFrom[node];
            path.Add(edge);
            node = edge.Caller;
        }
        while (node != start);
        path.Reverse();
        return path;
    }

    /// <summary>Tarjan's algorithm with an explicit stack.</summary>
    private static List<List<string>> StronglyConnected(IEnumerable<string> nodes, Dictionary<string, List<(string Callee, StepDefinition Step)>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        foreach (var root in nodes)
        {
            if (index.ContainsKey(root))
            {
                continue;
            }

            var work = new Stack<(string Node, int Edge)>();
            work.Push((root, 0));
            index[root] = low[root] = index.Count;
            stack.Push(root);
            onStack.Add(root);
            while (work.TryPop(out var frame))
            {
                var (node, edge) = frame;
                var next = edges[node];
                if (edge < next.Count)
                {
                    work.Push((node, edge + 1));
                    var callee = next[edge].Callee;
                    if (!index.ContainsKey(callee))
                    {
                        index[callee] = low[callee] = index.Count;
                        stack.Push(callee);
                        onStack.Add(callee);
                        work.Push((callee, 0));
                    }
                    else if (onStack.Contains(callee))
                    {
                        low[node] = Math.Min(low[node], index[callee]);
                    }

                    continue;
                }

                if (low[node] == index[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);
                    components.Add(component);
                }

                if (work.TryPeek(out var parent))
                {
                    low[parent.Node] = Math.Min(low[parent.Node], low[node]);
                }
            }
        }

        return components;
    }

    private sealed class PositionOrder : IComparer<SourcePosition>
    {
        public static PositionOrder Instance { get; } = new();

        public int Compare(SourcePosition x, SourcePosition y) =>
            string.CompareOrdinal(x.File, y.File) is var file and not 0 ? file
            : x.Line != y.Line ? x.Line.CompareTo(y.Line)
            : x.Column.CompareTo(y.Column);
    }
}
