using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>
/// Gives the provider of one backend for a tool's <c>config</c> (from <c>tools.yaml</c>), for backends whose settings,
/// such as an API key, may differ per tool. <see cref="SandboxProviderSelector"/> prefers a factory to a registered
/// <see cref="ISandboxProvider"/> of the same name.
/// </summary>
public interface ISandboxProviderFactory
{
    /// <summary>The backend it serves, such as <c>daytona</c>.</summary>
    string Name { get; }

    /// <summary>Whether credentials are available for <paramref name="config"/>, so that <c>backend: auto</c> may pick this backend.</summary>
    /// <param name="config">The tool's <c>config</c>; empty when the tool has none.</param>
    bool HasCredentials(IReadOnlyDictionary<string, object?> config);

    /// <summary>The provider for <paramref name="config"/>, or an error that names the setting to fix.</summary>
    /// <param name="config">The tool's <c>config</c>; empty when the tool has none.</param>
    SandboxResult<ISandboxProvider> GetProvider(IReadOnlyDictionary<string, object?> config);
}
