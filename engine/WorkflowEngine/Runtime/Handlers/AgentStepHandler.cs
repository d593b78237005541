using Mediator;
using WorkflowEngine.Agents;
using WorkflowEngine.Definitions;
using WorkflowEngine.Hosting;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Runtime.Handlers;

/// <summary>Runs an agent step: renders the system prompt and input, asks the agent, and parses a JSON-object reply into data.</summary>
public sealed class AgentStepHandler(IDefinitionCatalog catalog, IAgentResolver agents, TemplateRenderer renderer)
    : IRequestHandler<AgentStepRequest, StepOutcome>
{
    /// <inheritdoc />
    public async ValueTask<StepOutcome> Handle(AgentStepRequest request, CancellationToken cancellationToken)
    {
        var execution = request.Execution;
        var step = execution.Step;
        if (catalog.Definitions.FindAgent(step.Agent!) is not { } agent)
        {
            return StepOutcome.Failure($"Agent '{step.Agent}' is not defined. Add it to agents.yaml.");
        }

        var resolution = agents.Resolve(agent);
        if (resolution.Agent is null)
        {
            return StepOutcome.Failure(resolution.Error ?? $"Agent '{agent.Id}' cannot run.");
        }

        var systemPrompt = agent.SystemPrompt is { Text: { } prompt } node ? renderer.Render(prompt, execution.Scope, node.Position) : "";
        var input = PlainData.ToText(renderer.Resolve(step.Input, execution.Scope));
        var reply = await resolution.Agent.RespondAsync(new AgentRequest(agent, systemPrompt, input, execution.Scope.Variables), cancellationToken);
        return reply.Error is not null ? StepOutcome.Failure(reply.Error) : StepOutcome.Success(ParseReply(reply.Text));
    }

    /// <summary>A JSON object becomes data; LangSwarm's <c>{"response": "..."}</c> envelope alone becomes its text.</summary>
    internal static object? ParseReply(string text)
    {
        if (PlainData.TryParseObject(text) is not { } data)
        {
            return text;
        }

        return data.Count == 1 && data.TryGetValue("response", out var response) && response is string responseText ? responseText : data;
    }
}
