using WorkflowEngine.Daytona.Sandboxes;
using WorkflowEngine.Tools;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>
/// Picks the sandbox provider per call from the run's <c>backend</c> input or the tool's <c>config.backend</c>: <c>local</c>, <c>daytona</c>, or
/// <c>auto</c> (the default): daytona when <c>DAYTONA_API_KEY</c> is set and a daytona provider is registered, else local.
/// </summary>
public sealed class SandboxProviderSelector(IEnumerable<ISandboxProvider> providers)
{
    private readonly IReadOnlyList<ISandboxProvider> _providers = providers.ToList();

    /// <summary>The provider for the current call, or an error naming the fix.</summary>
    public SandboxResult<ISandboxProvider> Select()
    {
        // A run's own choice (wfe run --backend) wins over the tool's config.
        var context = ToolCallContext.Current;
        var backend = (context?.RunInputs.GetValueOrDefault("backend") as string ?? context?.Config("backend") as string ?? "auto").Trim().ToLowerInvariant();
        if (backend == "auto")
        {
            backend = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DAYTONA_API_KEY")) && Find("daytona") is not null ? "daytona" : "local";
        }

        if (backend is not ("local" or "daytona"))
        {
            return SandboxResult<ISandboxProvider>.Fail(SandboxErrorKind.InvalidArgument, $"config.backend '{backend}' is not known; use local, daytona or auto.");
        }

        return Find(backend) is { } provider
            ? SandboxResult<ISandboxProvider>.Ok(provider)
            : SandboxResult<ISandboxProvider>.Fail(SandboxErrorKind.Unavailable,
                backend == "daytona"
                    ? "The daytona backend is not available in this build yet; use backend: local (the default)."
                    : "No local sandbox provider is registered; call services.AddLocalSandboxes() in the host.");
    }

    /// <summary>Every registered provider.</summary>
    public IReadOnlyList<ISandboxProvider> All => _providers;

    private ISandboxProvider? Find(string name) => _providers.LastOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
