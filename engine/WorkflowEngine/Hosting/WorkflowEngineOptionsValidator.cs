using Microsoft.Extensions.Options;

namespace WorkflowEngine.Hosting;

/// <summary>Reports every problem with <see cref="WorkflowEngineOptions"/> in one message when the options are first read.</summary>
internal sealed class WorkflowEngineOptionsValidator : IValidateOptions<WorkflowEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowEngineOptions options) =>
        options.Validate() is { } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
