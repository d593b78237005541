using WorkflowEngine.Agents;

namespace WorkflowEngine.Hosting;

/// <summary>Engine settings. Every property has a documented default; <see cref="Validate"/> reports all problems at once.</summary>
public sealed class WorkflowEngineOptions
{
    /// <summary>The most steps one run may execute, sub-workflows included, before it fails as a probable loop. Default 1000.</summary>
    public int MaxSteps { get; set; } = 1000;

    /// <summary>
    /// How many workflows one run may nest: the top-level workflow counts as one, each sub-workflow step adds one.
    /// A step that would go deeper fails the run with the chain of workflows. Default 16.
    /// </summary>
    public int MaxWorkflowDepth { get; set; } = 16;

    /// <summary>The largest definition (or prompt) file read, in bytes; a larger one is refused with an error. Default 10 MiB.</summary>
    public long MaxDefinitionFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// How deeply mappings and sequences may nest in a definition file; deeper nesting is an error at its line.
    /// At most 1,000, because YAML values are processed recursively. Default 64.
    /// </summary>
    public int MaxYamlNestingDepth { get; set; } = 64;

    /// <summary>
    /// How many nodes the aliases (<c>*name</c>) of one definition file may add when expanded, so that a small file
    /// cannot grow into a huge one ("billion laughs"); a long scalar counts one node per started 1,000 characters.
    /// Default 100,000.
    /// </summary>
    public int MaxYamlAliasNodes { get; set; } = 100_000;

    /// <summary>Which agent implementations to use. Default <see cref="AgentMode.Auto"/>.</summary>
    public AgentMode AgentMode { get; set; } = AgentMode.Auto;

    /// <summary>The first retry delay; later ones double, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest retry delay. Default 10 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Send tool calls to the planner instead of the tools. Default <see langword="false"/>.</summary>
    public bool DryRun { get; set; }

    /// <summary>The OpenAI API key. Default: the <c>OPENAI_API_KEY</c> environment variable.</summary>
    public string? OpenAIApiKey { get; set; } = NullIfEmpty(Environment.GetEnvironmentVariable("OPENAI_API_KEY"));

    /// <summary>An OpenAI-compatible endpoint. Default: the <c>OPENAI_BASE_URL</c> environment variable, else OpenAI's.</summary>
    public string? OpenAIBaseUrl { get; set; } = NullIfEmpty(Environment.GetEnvironmentVariable("OPENAI_BASE_URL"));

    /// <summary>
    /// Where tool calls are audited, one JSON line each, with secrets and environment values redacted.
    /// Default: <c>audit.jsonl</c> under <c>WFE_HOME</c> (else <c>/var/lib/wfe</c> as root or <c>~/.local/share/wfe</c>); <see langword="null"/> turns auditing off.
    /// </summary>
    public string? AuditLogPath { get; set; } = Path.Combine(DefaultDataDirectory(), "audit.jsonl");

    /// <summary>The model for LLM agents that name none. Default <c>gpt-4o-mini</c>.</summary>
    public string DefaultModel { get; set; } = "gpt-4o-mini";

    /// <summary>Returns every problem with these settings in one message, or <see langword="null"/>.</summary>
    public string? Validate()
    {
        var problems = new List<string>();
        if (MaxSteps < 1)
        {
            problems.Add($"MaxSteps must be at least 1 (got {MaxSteps}).");
        }

        if (MaxWorkflowDepth < 1)
        {
            problems.Add($"MaxWorkflowDepth must be at least 1 (got {MaxWorkflowDepth}).");
        }

        if (MaxDefinitionFileBytes < 1)
        {
            problems.Add($"MaxDefinitionFileBytes must be at least 1 (got {MaxDefinitionFileBytes}).");
        }

        if (MaxYamlNestingDepth is < 1 or > 1000)
        {
            problems.Add($"MaxYamlNestingDepth must be from 1 to 1000 (got {MaxYamlNestingDepth}).");
        }

        if (MaxYamlAliasNodes < 0)
        {
            problems.Add($"MaxYamlAliasNodes must not be negative (got {MaxYamlAliasNodes}).");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            problems.Add($"RetryBaseDelay must be non-negative and at most RetryMaxDelay (got {RetryBaseDelay} and {RetryMaxDelay}).");
        }

        if (OpenAIBaseUrl is not null && !Uri.TryCreate(OpenAIBaseUrl, UriKind.Absolute, out _))
        {
            problems.Add($"OpenAIBaseUrl '{OpenAIBaseUrl}' is not an absolute URL such as http://127.0.0.1:11434/v1.");
        }

        if (string.IsNullOrWhiteSpace(DefaultModel))
        {
            problems.Add("DefaultModel must not be empty.");
        }

        return problems.Count == 0 ? null : "Invalid WorkflowEngineOptions: " + string.Join(" ", problems);
    }

    /// <summary>
    /// <c>WFE_HOME</c>, else <c>/var/lib/wfe</c> for root, else <c>~/.local/share/wfe</c>: where wfe keeps its state.
    /// Root's sandboxes run as another uid, which must be able to traverse to their workspaces; <c>/root</c> is usually closed.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        var home = Environment.GetEnvironmentVariable("WFE_HOME");
        if (!string.IsNullOrEmpty(home))
        {
            return home;
        }

        if (OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess)
        {
            return "/var/lib/wfe";
        }

        var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(user) ? Path.GetTempPath() : user, ".local", "share", "wfe");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
