namespace WorkflowEngine.Agents.Builtin;

/// <summary>The builtin implementations of the eleven <c>daytona_environment</c> agents, by agent id.</summary>
public static class BuiltinAgents
{
    /// <summary>Agent id → factory.</summary>
    public static IReadOnlyDictionary<string, Func<IAgent>> All { get; } = new Dictionary<string, Func<IAgent>>(StringComparer.Ordinal)
    {
        ["input_normalizer"] = () => new InputNormalizerAgent(),
        ["action_classifier"] = () => new ActionClassifierAgent(),
        ["sandbox_manager"] = () => new SandboxManagerAgent(),
        ["code_executor"] = () => new CodeExecutorAgent(),
        ["file_manager"] = () => new FileManagerAgent(),
        ["git_manager"] = () => new GitManagerAgent(),
        ["parameter_builder"] = () => new ParameterBuilderAgent(),
        ["response_formatter"] = () => new ResponseFormatterAgent(),
        ["error_handler"] = () => new ErrorHandlerAgent(),
        ["environment_optimizer"] = () => new EnvironmentOptimizerAgent(),
        ["workflow_advisor"] = () => new WorkflowAdvisorAgent(),
    };
}
