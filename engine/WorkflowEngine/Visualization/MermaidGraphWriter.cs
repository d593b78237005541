using System.Text;
using WorkflowEngine.Definitions;

namespace WorkflowEngine.Visualization;

/// <summary>Writes a workflow as a Mermaid flowchart: steps as boxes, conditions as diamonds, routes as arrows.</summary>
public static class MermaidGraphWriter
{
    /// <summary>Returns the flowchart text.</summary>
    public static string Write(WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var text = new StringBuilder("flowchart TD\n");
        var conditionCount = 0;
        var usesUser = false;
        text.Append("    start((start)) --> ").Append(Node(workflow.Steps.FirstOrDefault()?.Id ?? "end")).Append('\n');
        foreach (var step in workflow.Steps)
        {
            var action = step.Kind switch
            {
                StepKind.Agent => $"agent: {step.Agent}",
                StepKind.Tool => $"tool: {step.Tool}",
                StepKind.Function => "function: mcp_call",
                StepKind.Workflow => $"workflow: {step.Workflow}",
                _ => "no action",
            };
            text.Append("    ").Append(Node(step.Id)).Append("[\"").Append(Escape(step.Id)).Append("<br/><small>").Append(Escape(action)).Append("</small>\"]\n");
        }

        foreach (var step in workflow.Steps)
        {
            if (step.When is not null)
            {
                text.Append("    ").Append(Node(step.Id)).Append(" -. \"skipped when false\" .-> ").Append(NextNode(workflow, step)).Append('\n');
            }

            if (step.Routes is null)
            {
                if (workflow.NextAfter(step) is { } next)
                {
                    text.Append("    ").Append(Node(step.Id)).Append(" --> ").Append(Node(next.Id)).Append('\n');
                }

                continue;
            }

            foreach (var route in step.Routes)
            {
                Edge(Node(step.Id), route, null);
            }

            if (step.OnError is { } onError)
            {
                Edge(Node(step.Id), onError, "on error");
            }
        }

        if (usesUser)
        {
            text.Append("    user([user])\n");
        }

        return text.ToString();

        void Edge(string from, RouteTarget? route, string? label)
        {
            var arrow = label is null ? " --> " : $" -- \"{Escape(label)}\" --> ";
            switch (route)
            {
                case null:
                    return;
                case UserRoute:
                    usesUser = true;
                    text.Append("    ").Append(from).Append(arrow).Append("user\n");
                    return;
                case StepRoute step:
                    text.Append("    ").Append(from).Append(arrow).Append(Node(step.StepId)).Append('\n');
                    return;
            }

            var id = $"c{++conditionCount}";
            var question = route switch
            {
                IfRoute r => r.Condition.Text,
                SwitchRoute r => "switch " + r.Value.Text,
                ExistsRoute r => "exists " + r.Path.Text,
                _ => "?",
            };
            text.Append("    ").Append(from).Append(arrow).Append(id).Append("{\"").Append(Escape(question ?? "")).Append("\"}\n");
            switch (route)
            {
                case IfRoute r:
                    Edge(id, r.Then, "true");
                    Edge(id, r.Else, "false");
                    break;
                case ExistsRoute r:
                    Edge(id, r.Then, "exists");
                    Edge(id, r.Else, "missing");
                    break;
                case SwitchRoute r:
                    foreach (var (key, target) in r.Cases)
                    {
                        Edge(id, target, key);
                    }

                    Edge(id, r.Default, "default");
                    break;
            }
        }
    }

    private static string NextNode(WorkflowDefinition workflow, StepDefinition step) =>
        workflow.NextAfter(step) is { } next ? Node(next.Id) : "finish((end))";

    private static string Node(string id) => "s_" + new string(id.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
