using Mediator;

namespace WorkflowEngine.Runtime;

/// <summary>A request to run one step; each step kind has its own request type and handler.</summary>
public interface IStepRequest : IRequest<StepOutcome>
{
    /// <summary>The step and its run.</summary>
    StepExecution Execution { get; }
}
