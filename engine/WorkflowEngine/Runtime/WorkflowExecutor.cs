using Mediator;
using WorkflowEngine.Definitions;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Runtime;

/// <summary>
/// Walks a workflow's routes depth first: start at the first step; after a step, follow its <c>output.to</c>
/// targets in order, or the next step in the list when it has none. Each step is sent through the mediator.
/// </summary>
internal sealed class WorkflowExecutor(ISender sender, TemplateRenderer renderer)
{
    /// <summary>Runs the workflow in <paramref name="state"/>; returns the error that stopped it, or <see langword="null"/>.</summary>
    public async Task<string?> ExecuteAsync(RunState state, CancellationToken cancellationToken)
    {
        if (state.Workflow.Steps.Count == 0)
        {
            return $"Workflow '{state.Workflow.Id}' has no steps.";
        }

        var pending = new Stack<(RouteTarget Target, StepDefinition? Source)>();
        pending.Push((new StepRoute(state.Workflow.Steps[0].Id), null));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (target, source) = pending.Pop();
            try
            {
                if (await FollowAsync(target, source, state, pending, cancellationToken) is { } error)
                {
                    return error;
                }
            }
            catch (TemplateException ex)
            {
                return $"Route after step '{state.StepPrefix}{source?.Id}' could not be evaluated: {ex.Message}";
            }
        }

        return null;
    }

    private async ValueTask<string?> FollowAsync(
        RouteTarget target, StepDefinition? source, RunState state, Stack<(RouteTarget, StepDefinition?)> pending, CancellationToken cancellationToken)
    {
        switch (target)
        {
            case UserRoute:
                var output = source is null ? null : state.OutputOf(source.Id);
                state.SetUserOutput(output);
                state.Journal.Emit(new OutputProduced(output) { RunId = state.Journal.RunId, Timestamp = state.Journal.Now });
                return null;

            case IfRoute route:
                PushBranch(renderer.EvaluateCondition(route.Condition, state.CreateScope()) ? route.Then : route.Else);
                return null;

            case SwitchRoute route:
                var value = PlainData.ToText(renderer.Resolve(route.Value, state.CreateScope()));
                var match = route.Cases.FirstOrDefault(c => string.Equals(c.Key, value.Trim(), StringComparison.Ordinal));
                PushBranch(match.Value ?? route.Default);
                return null;

            case ExistsRoute route:
                PushBranch(Exists(route.Path, state.CreateScope()) ? route.Then : route.Else);
                return null;

            case StepRoute route:
                return await RunRoutedStepAsync(route, state, pending, cancellationToken);

            default:
                throw new InvalidOperationException($"Unknown route target {target.GetType().Name}.");
        }

        void PushBranch(RouteTarget? branch)
        {
            if (branch is not null)
            {
                pending.Push((branch, source));
            }
        }
    }

    private async ValueTask<string?> RunRoutedStepAsync(
        StepRoute route, RunState state, Stack<(RouteTarget, StepDefinition?)> pending, CancellationToken cancellationToken)
    {
        var step = state.Workflow.FindStep(route.StepId);
        if (step is null)
        {
            return $"Workflow step '{route.StepId}' not found in workflow '{state.Workflow.Id}'.";
        }

        if (state.Journal.Consume(state.StepPrefix + step.Id) is { } budgetError)
        {
            return budgetError;
        }

        var outcome = await RunStepAsync(step, state, cancellationToken);
        var next = state.Workflow.NextAfter(step);
        switch (outcome.Status)
        {
            case StepStatus.Skipped:
                if (next is not null)
                {
                    pending.Push((new StepRoute(next.Id), step));
                }

                return null;

            case StepStatus.Failed when step.OnError is not null:
                state.LastError = outcome.Error;
                pending.Push((step.OnError, step));
                return null;

            case StepStatus.Failed when outcome.ErrorNamesStep:
                state.FailedInSubWorkflow = true;
                return outcome.Error;

            case StepStatus.Failed:
                return $"Step '{state.StepPrefix}{step.Id}' failed: {outcome.Error}";
        }

        IReadOnlyList<RouteTarget> routes = step.Routes ?? (next is null ? [] : [new StepRoute(next.Id)]);
        for (var i = routes.Count - 1; i >= 0; i--)
        {
            pending.Push((routes[i], step));
        }

        return null;
    }

    private async ValueTask<StepOutcome> RunStepAsync(StepDefinition step, RunState state, CancellationToken cancellationToken)
    {
        var journal = state.Journal;
        var qualifiedId = state.StepPrefix + step.Id;
        var started = journal.Time.GetTimestamp();
        journal.Emit(new StepStarted(qualifiedId) { RunId = journal.RunId, Timestamp = journal.Now });

        StepOutcome outcome;
        var scope = state.CreateScope();
        try
        {
            outcome = step.When is not null && !renderer.EvaluateCondition(step.When, scope)
                ? new StepOutcome { Status = StepStatus.Skipped }
                : step.ForEach is not null
                    ? await RunForEachAsync(step, state, scope, cancellationToken)
                    : await sender.Send(CreateRequest(new StepExecution(step, scope, state)), cancellationToken);
        }
        catch (TemplateException ex)
        {
            outcome = StepOutcome.Failure(ex.Message);
        }

        var duration = journal.Time.GetElapsedTime(started);
        state.Record(step, outcome);
        journal.AddStep(new StepRecord(qualifiedId, outcome.Status, duration, outcome.Output, outcome.Error, outcome.Attempts));
        RunEvent done = outcome.Status switch
        {
            StepStatus.Succeeded => new StepCompleted(qualifiedId, outcome.Output, duration) { RunId = journal.RunId, Timestamp = journal.Now },
            StepStatus.Skipped => new StepSkipped(qualifiedId) { RunId = journal.RunId, Timestamp = journal.Now },
            _ => new StepFailed(qualifiedId, outcome.Error ?? "failed", duration) { RunId = journal.RunId, Timestamp = journal.Now },
        };
        journal.Emit(done);
        return outcome;
    }

    private async ValueTask<StepOutcome> RunForEachAsync(StepDefinition step, RunState state, TemplateScope scope, CancellationToken cancellationToken)
    {
        if (renderer.Resolve(step.ForEach, scope) is not List<object?> items)
        {
            return StepOutcome.Failure($"`for_each` of step '{step.Id}' must resolve to a list, such as \"${{steps.split.output.items}}\".");
        }

        var outputs = new List<object?>(items.Count);
        var attempts = 0;
        for (var index = 0; index < items.Count; index++)
        {
            var itemScope = scope.With(step.ForEachVariable, items[index]).With("index", (long)index);
            var outcome = await sender.Send(CreateRequest(new StepExecution(step, itemScope, state)), cancellationToken);
            attempts += outcome.Attempts;
            if (outcome.Status == StepStatus.Failed)
            {
                return outcome with { Error = $"item {index}: {outcome.Error}", Attempts = attempts, ErrorNamesStep = false };
            }

            outputs.Add(outcome.Output);
        }

        return StepOutcome.Success(outputs) with { Attempts = Math.Max(1, attempts) };
    }

    private static IStepRequest CreateRequest(StepExecution execution) => execution.Step.Kind switch
    {
        StepKind.Agent => new AgentStepRequest(execution),
        StepKind.Tool => new ToolStepRequest(execution),
        StepKind.Function => new FunctionStepRequest(execution),
        StepKind.Workflow => new WorkflowStepRequest(execution),
        _ => throw new InvalidOperationException($"Step '{execution.Step.Id}' has no action; validation should have refused it."),
    };

    private bool Exists(ValueNode path, TemplateScope scope)
    {
        var expression = path.Text is { } text ? PlaceholderSyntax.WholeExpression(text) ?? text.Trim() : null;
        if (string.IsNullOrEmpty(expression))
        {
            return false;
        }

        try
        {
            return renderer.Evaluate(expression, scope, path.Position) switch
            {
                null => false,
                string s => s.Length > 0,
                System.Collections.ICollection c => c.Count > 0,
                _ => true,
            };
        }
        catch (TemplateException)
        {
            // A missing variable or member is exactly what `exists` asks about.
            return false;
        }
    }
}
