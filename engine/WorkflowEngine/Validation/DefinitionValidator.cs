using WorkflowEngine.Definitions;
using WorkflowEngine.Runtime.Handlers;
using WorkflowEngine.Templating;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Validation;

/// <summary>
/// Checks a <see cref="DefinitionSet"/> in one pass and reports every problem: duplicate ids, unknown references
/// (with "did you mean"), missing fields, unreachable steps, template syntax errors and references to steps
/// that do not exist, and workflows that call themselves. Lookups go through dictionaries built once, so the time
/// grows linearly with the size of the definitions.
/// </summary>
public sealed class DefinitionValidator(TemplateRenderer renderer)
{
    /// <summary>Validates the definitions against the registered tools; loader diagnostics are included first.</summary>
    public IReadOnlyList<Diagnostic> Validate(DefinitionSet set, IToolCatalog tools)
    {
        var diagnostics = new List<Diagnostic>(set.Diagnostics);
        ReportDuplicates(set.Agents, a => a.Id, a => a.Position, "agent", diagnostics);
        ReportDuplicates(set.Workflows, w => w.Id, w => w.Position, "workflow", diagnostics);
        ReportDuplicates(set.Tools, t => t.Id, t => t.Position, "tool", diagnostics);
        var index = new Index(set);

        foreach (var agent in set.Agents)
        {
            if (agent.SystemPrompt is { } prompt)
            {
                CheckTemplates(prompt, null, diagnostics);
            }
        }

        foreach (var tool in set.Tools)
        {
            if (tools.Find(tool.ImplementationName) is null)
            {
                diagnostics.Add(Diagnostic.Error(tool.Position,
                    $"Tool '{tool.Id}' has type '{tool.ImplementationName}', which is not registered ({Suggestions.Known(tools.Tools.Select(t => t.Name))}).{Suggestions.DidYouMean(tool.ImplementationName, tools.Tools.Select(t => t.Name))}"));
            }
        }

        foreach (var workflow in set.Workflows)
        {
            ValidateWorkflow(workflow, index, tools, diagnostics);
        }

        diagnostics.AddRange(WorkflowCycles.Find(index.Workflows));

        return diagnostics
            .OrderBy(d => d.Position.File, StringComparer.Ordinal)
            .ThenBy(d => d.Position.Line)
            .ThenBy(d => d.Position.Column)
            .ToList();
    }

    private void ValidateWorkflow(WorkflowDefinition workflow, Index index, IToolCatalog tools, List<Diagnostic> diagnostics)
    {
        ReportDuplicates(workflow.Steps, s => s.Id, s => s.Position, $"step in workflow '{workflow.Id}'", diagnostics);
        var stepIds = workflow.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);

        foreach (var step in workflow.Steps)
        {
            switch (step.Kind)
            {
                case StepKind.Agent when !index.Agents.ContainsKey(step.Agent!):
                    diagnostics.Add(Diagnostic.Error(step.ActionPosition,
                        $"Step '{step.Id}' uses agent '{step.Agent}', which is not defined.{Suggestions.DidYouMean(step.Agent!, index.Agents.Keys)} Define it in agents.yaml."));
                    break;
                case StepKind.Tool:
                    CheckTool(step.Tool!, step.Method, step.ActionPosition, step, index, tools, diagnostics);
                    if (step.Method is null && step.Input is null)
                    {
                        diagnostics.Add(Diagnostic.Error(step.Position, $"Tool step '{step.Id}' needs `method:` (and `params:`), or an `input` with method and params."));
                    }

                    break;
                case StepKind.Function:
                    CheckFunction(step, index, tools, diagnostics);
                    break;
                case StepKind.Workflow when !index.Workflows.ContainsKey(step.Workflow!):
                    diagnostics.Add(Diagnostic.Error(step.ActionPosition,
                        $"Step '{step.Id}' runs workflow '{step.Workflow}', which is not defined.{Suggestions.DidYouMean(step.Workflow!, index.Workflows.Keys)}"));
                    break;
            }

            foreach (var route in AllRoutes(step))
            {
                CheckRoute(route, step, stepIds, diagnostics);
            }

            foreach (var value in new[] { step.Input, step.Params, step.Args, step.Method, step.ForEach })
            {
                if (value is not null)
                {
                    CheckTemplates(value, stepIds, diagnostics);
                }
            }

            if (step.When is not null)
            {
                CheckTemplates(step.When, stepIds, diagnostics, isCondition: true);
            }
        }

        foreach (var unreachable in Unreachable(workflow))
        {
            diagnostics.Add(Diagnostic.Warning(unreachable.Position,
                $"Step '{unreachable.Id}' is unreachable: no route leads to it and the step before it routes elsewhere. Route to it or remove it."));
        }
    }

    private static void CheckTool(string toolId, ValueNode? method, SourcePosition position, StepDefinition step, Index index, IToolCatalog tools, List<Diagnostic> diagnostics)
    {
        var implementation = index.Tools.GetValueOrDefault(toolId)?.ImplementationName ?? toolId;
        if (tools.Find(implementation) is not { } tool)
        {
            var known = tools.Tools.Select(t => t.Name).Concat(index.Tools.Keys).ToList();
            diagnostics.Add(Diagnostic.Error(position,
                $"Step '{step.Id}' uses tool '{toolId}', which is not registered ({Suggestions.Known(known)}).{Suggestions.DidYouMean(toolId, known)}"));
            return;
        }

        if (method is { Kind: ValueKind.Scalar, Text: { } name } && !name.Contains("${", StringComparison.Ordinal)
            && !name.Contains("{{", StringComparison.Ordinal) && !tool.Methods.ContainsKey(name))
        {
            diagnostics.Add(Diagnostic.Error(method.Position,
                $"Tool '{toolId}' has no method '{name}'.{Suggestions.DidYouMean(name, tool.Methods.Keys)} Methods: {string.Join(", ", tool.Methods.Keys.Order(StringComparer.Ordinal))}."));
        }
    }

    private static void CheckFunction(StepDefinition step, Index index, IToolCatalog tools, List<Diagnostic> diagnostics)
    {
        if (!FunctionStepHandler.McpCallNames.Contains(step.Function!))
        {
            diagnostics.Add(Diagnostic.Error(step.ActionPosition,
                $"Step '{step.Id}' calls function '{step.Function}', which is not available. Use `function: mcp_call` with `mcp_url: local://<tool>`, or a `tool:` step."));
            return;
        }

        var url = step.Args?["mcp_url"];
        if (url is not { Kind: ValueKind.Scalar, Text: { } text })
        {
            diagnostics.Add(Diagnostic.Error(step.Args?.Position ?? step.Position, $"Step '{step.Id}' needs `args: {{mcp_url: local://<tool>, payload: ...}}`."));
            return;
        }

        if (!text.StartsWith("local://", StringComparison.Ordinal))
        {
            diagnostics.Add(Diagnostic.Error(url.Position, $"mcp_url '{text}' is not supported; only local://<tool> URLs are."));
            return;
        }

        if (step.Args?["payload"] is null)
        {
            diagnostics.Add(Diagnostic.Error(step.Args!.Position, $"Step '{step.Id}' is missing the required field 'payload' in args."));
        }

        CheckTool(text["local://".Length..].TrimEnd('/'), null, url.Position, step, index, tools, diagnostics);
    }

    private void CheckRoute(RouteTarget route, StepDefinition step, HashSet<string> stepIds, List<Diagnostic> diagnostics)
    {
        switch (route)
        {
            case StepRoute target when !stepIds.Contains(target.StepId):
                diagnostics.Add(Diagnostic.Error(target.Position,
                    $"Step '{step.Id}' routes to '{target.StepId}', which is not a step of this workflow.{Suggestions.DidYouMean(target.StepId, stepIds)} Use a step id or `user`."));
                break;
            case IfRoute target:
                CheckTemplates(target.Condition, stepIds, diagnostics, isCondition: true);
                break;
            case SwitchRoute target:
                CheckTemplates(target.Value, stepIds, diagnostics);
                break;
            case ExistsRoute target:
                CheckTemplates(target.Path, stepIds, diagnostics, isCondition: true);
                break;
        }
    }

    private void CheckTemplates(ValueNode value, HashSet<string>? stepIds, List<Diagnostic> diagnostics, bool isCondition = false)
    {
        foreach (var scalar in value.Scalars())
        {
            if (scalar.Text is not { } text || !scalar.IsQuoted && !isCondition && !text.Contains('$', StringComparison.Ordinal) && !text.Contains('{', StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (position, message) in renderer.CheckSyntax(scalar, isCondition))
            {
                diagnostics.Add(Diagnostic.Error(position, $"Template syntax error: {message}"));
            }

            if (stepIds is null)
            {
                continue;
            }

            foreach (var (stepId, index) in PlaceholderSyntax.StepReferences(text))
            {
                if (!stepIds.Contains(stepId) && (isCondition || InsideTemplate(text, index)))
                {
                    var (line, column) = LineAndColumn(text, index);
                    diagnostics.Add(Diagnostic.Error(TemplateRenderer.MapPosition(scalar, line, column),
                        $"Template refers to step '{stepId}', which is not a step of this workflow.{Suggestions.DidYouMean(stepId, stepIds)}"));
                }
            }
        }
    }

    /// <summary>Whether <paramref name="index"/> is inside a <c>${...}</c> or <c>{{ ... }}</c>, not in plain text such as "steps.md".</summary>
    private static bool InsideTemplate(string text, int index)
    {
        var dollar = text.LastIndexOf("${", index, StringComparison.Ordinal);
        if (dollar >= 0 && text.IndexOf('}', dollar) > index)
        {
            return true;
        }

        var braces = text.LastIndexOf("{{", index, StringComparison.Ordinal);
        return braces >= 0 && text.IndexOf("}}", braces, StringComparison.Ordinal) > index;
    }

    private static (int Line, int Column) LineAndColumn(string text, int index)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart);
    }

    private static IEnumerable<RouteTarget> AllRoutes(StepDefinition step)
    {
        var roots = (step.Routes ?? []).Concat(step.OnError is null ? [] : [step.OnError]);
        foreach (var route in roots)
        {
            foreach (var nested in Flatten(route))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<RouteTarget> Flatten(RouteTarget? route)
    {
        if (route is null)
        {
            yield break;
        }

        yield return route;
        IEnumerable<RouteTarget?> children = route switch
        {
            IfRoute r => [r.Then, r.Else],
            SwitchRoute r => [.. r.Cases.Select(c => c.Value), r.Default],
            ExistsRoute r => [r.Then, r.Else],
            _ => [],
        };
        foreach (var child in children.SelectMany(Flatten))
        {
            yield return child;
        }
    }

    private static IEnumerable<StepDefinition> Unreachable(WorkflowDefinition workflow)
    {
        if (workflow.Steps.Count == 0)
        {
            return [];
        }

        var byId = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
        var next = new Dictionary<StepDefinition, StepDefinition>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < workflow.Steps.Count; i++)
        {
            byId.TryAdd(workflow.Steps[i].Id, workflow.Steps[i]);
            if (i + 1 < workflow.Steps.Count)
            {
                next.TryAdd(workflow.Steps[i], workflow.Steps[i + 1]);
            }
        }

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<StepDefinition>([workflow.Steps[0]]);
        while (pending.TryPop(out var step))
        {
            if (!reached.Add(step.Id))
            {
                continue;
            }

            var targets = AllRoutes(step).OfType<StepRoute>().Select(r => byId.GetValueOrDefault(r.StepId)).OfType<StepDefinition>().ToList();

            // A step without routes, or one that may be skipped, continues with the next step in the list.
            if ((step.Routes is null || step.When is not null) && next.GetValueOrDefault(step) is { } following)
            {
                targets.Add(following);
            }

            foreach (var target in targets)
            {
                pending.Push(target);
            }
        }

        return workflow.Steps.Where(s => !reached.Contains(s.Id)).DistinctBy(s => s.Id);
    }

    private static void ReportDuplicates<T>(IEnumerable<T> items, Func<T, string> id, Func<T, SourcePosition> position, string what, List<Diagnostic> diagnostics)
    {
        foreach (var group in items.GroupBy(id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = position(group.First());
            foreach (var duplicate in group.Skip(1))
            {
                diagnostics.Add(Diagnostic.Error(position(duplicate), $"Duplicate {what} id '{group.Key}'; the first is at {first}. Rename one of them."));
            }
        }
    }

    /// <summary>The definitions by id, the first of each id (as the runtime finds them).</summary>
    private sealed class Index(DefinitionSet set)
    {
        public Dictionary<string, AgentDefinition> Agents { get; } = First(set.Agents, a => a.Id);

        public Dictionary<string, WorkflowDefinition> Workflows { get; } = First(set.Workflows, w => w.Id);

        public Dictionary<string, ToolDefinition> Tools { get; } = First(set.Tools, t => t.Id);

        private static Dictionary<string, T> First<T>(IEnumerable<T> items, Func<T, string> id)
        {
            var map = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                map.TryAdd(id(item), item);
            }

            return map;
        }
    }
}
