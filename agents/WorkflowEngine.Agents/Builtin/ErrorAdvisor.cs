using WorkflowEngine.Agents.Understanding;

namespace WorkflowEngine.Agents.Builtin;

/// <summary>Maps an error type and text to advice: not found, invalid arguments, no bubblewrap, conflicts, timeouts…</summary>
internal static class ErrorAdvisor
{
    /// <summary>Advice for an error of <paramref name="errorType"/> with <paramref name="message"/>; the type wins over the text.</summary>
    public static ErrorAdvice Advise(string? errorType, string? message)
    {
        var text = (message ?? "").ToLowerInvariant();
        var category = FromType(errorType) ?? FromText(text);
        if (category == "unavailable" && Mentions(text, "daytona"))
        {
            // Older results typed an unreachable Daytona API as unavailable; the advice is the connection's, not bubblewrap's.
            category = "connection";
        }

        return category switch
        {
            "authentication" => new ErrorAdvice("The Daytona API rejected the credentials or none were given.",
                ["Set DAYTONA_API_KEY (and DAYTONA_API_URL for a self-hosted server), then try again.", "Or use the local provider, which needs no account."]),
            "unknown_method" => new ErrorAdvice("That operation does not exist.",
                ["Use one of: " + string.Join(", ", DaytonaMethods.All) + "."]),
            "connection" => new ErrorAdvice("The Daytona API could not be reached, or the connection broke.",
                ["Check DAYTONA_API_URL (or config api_url in tools.yaml) and that the server is up; `wfe serve` runs a local one.", "Try again in a moment, or use --backend local."]),
            "authorization" => new ErrorAdvice("The Daytona API key is valid but not allowed to do this.",
                ["Check the key's permissions in the Daytona dashboard, and DAYTONA_ORGANIZATION_ID when you use a JWT.", "Or use --backend local."]),
            "rate_limited" => new ErrorAdvice("Daytona asked to slow down (rate limit).",
                ["Wait a minute and try again; reads are retried automatically, creates and commands are not.", "Fewer sandbox creations per minute avoid it."]),
            "unavailable" => new ErrorAdvice("Sandboxes cannot run this safely on this machine right now.",
                ["Install bubblewrap (`apt-get install bubblewrap`) and check that user namespaces are enabled.", "If a language runtime is missing (tsx for TypeScript), install it or pick another language.", "Only for trusted code: WFE_ISOLATION=none runs without isolation."]),
            "timeout" => new ErrorAdvice("The operation took too long and was stopped.",
                ["Look for endless loops or waits on input or the network (sandboxes have no network by default).", "Split long work into smaller commands, or raise the timeout."]),
            "limit_exceeded" => new ErrorAdvice("A sandbox limit was hit (memory, processes, file or output size).",
                ["Process less data at a time or stream it to a file.", "Create the sandbox with larger resources if the work needs them."]),
            "permission" when Mentions(text, "tools.yaml") => new ErrorAdvice("The tool's configuration does not allow this call.",
                ["The method is refused by tools.yaml: remove it from config.denied_methods (or add it to config.allowed_methods) to allow it.", "With permission: authenticated, run as a user (wfe run --user NAME).", "Otherwise ask for an operation that is allowed."]),
            "permission" => new ErrorAdvice("Permission denied.",
                ["Work under /workspace; the rest of the file system is read-only.", "For a push to a local bare repository, make it writable by the sandbox user."]),
            "conflict" => new ErrorAdvice("That name is taken, or the sandbox is in a state that does not allow this.",
                ["Choose another name, or delete the existing sandbox first ('delete sandbox <id>').", "Use 'list sandboxes' to see what exists."]),
            "not_found" when Mentions(text, "file", "path", "directory", "branch", "repository", "workspace") => new ErrorAdvice(
                "The file, path, branch or repository does not exist.",
                ["Check the path (relative paths are under /workspace) with 'list files in /workspace'.", "For git, check the branch name and the repository URL."]),
            "not_found" => new ErrorAdvice("I couldn't find that sandbox.",
                ["Use 'list sandboxes' to see all available environments and their ids.", "Sandboxes that are not persistent are removed after an hour idle or when their run ends."]),
            "invalid_argument" => new ErrorAdvice("A parameter is missing or not valid.",
                ["Give a sandbox id like 'sandbox-abc123' or the sandbox's name.", "Paths must stay inside /workspace; languages are python, javascript, typescript and bash.", "clone needs a repository URL, commit a message, checkout a branch, upload/download a local path."]),
            "git" => new ErrorAdvice("The git operation failed.",
                ["Check that the repository exists and the branch is right.", "Run 'git status' in the sandbox to see the working tree; pull before pushing when the remote moved on."]),
            _ => new ErrorAdvice("The operation failed.",
                ["Read the error above, fix the request and try again.", "Use 'get info on <sandbox>' to check that the sandbox is running."]),
        };
    }

    private static string? FromType(string? errorType) => (errorType ?? "").Trim().ToLowerInvariant() switch
    {
        "authentication" or "unauthorized" => "authentication",
        "authorization" or "forbidden" => "authorization",
        "rate_limited" or "rate_limit" => "rate_limited",
        "connection" => "connection",
        "unknown_method" or "method_not_found" => "unknown_method",
        "unavailable" => "unavailable",
        "timeout" => "timeout",
        "limit_exceeded" => "limit_exceeded",
        "permission_denied" or "permission" => "permission",
        "conflict" => "conflict",
        "not_found" => "not_found",
        "invalid_argument" or "invalid_parameters" or "invalid_parameter" or "validation" => "invalid_argument",
        _ => null,
    };

    private static string FromText(string text)
    {
        if (Mentions(text, "api key", "api_key", "daytona_api_key", "unauthorized", "401", "authentication", "forbidden", "403", "credential"))
        {
            return "authentication";
        }

        if (Mentions(text, "method '") && Mentions(text, "not available"))
        {
            return "unknown_method";
        }

        if (Mentions(text, "bubblewrap", "bwrap", "not available", "unavailable", "isolation"))
        {
            return "unavailable";
        }

        if (Mentions(text, "timeout", "timed out", "took too long"))
        {
            return "timeout";
        }

        if (Mentions(text, "out of memory", "limit", "too large"))
        {
            return "limit_exceeded";
        }

        if (Mentions(text, "permission denied", "eacces", "operation not permitted", "read-only"))
        {
            return "permission";
        }

        if (Mentions(text, "already exists", "conflict", "name is taken"))
        {
            return "conflict";
        }

        if (Mentions(text, "not found", "no such", "does not exist", "doesn't exist"))
        {
            return "not_found";
        }

        if (Mentions(text, "invalid parameter", "invalid argument", "invalid", "is required", "missing"))
        {
            return "invalid_argument";
        }

        return Mentions(text, "git", "repository", "merge", "rejected") ? "git" : "failed";
    }

    private static bool Mentions(string text, params string[] words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));
}
