using WorkflowEngine.Agents.Builtin;
using WorkflowEngine.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the builtin <c>daytona_environment</c> agents with the engine.</summary>
public static class DaytonaBuiltinAgentsBuilderExtensions
{
    /// <summary>Registers all eleven agents of <see cref="BuiltinAgents.All"/> under their agent ids.</summary>
    /// <param name="builder">The engine builder.</param>
    public static WorkflowEngineBuilder AddDaytonaBuiltinAgents(this WorkflowEngineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (name, factory) in BuiltinAgents.All)
        {
            builder.AddBuiltinAgent(name, factory());
        }

        return builder;
    }
}
