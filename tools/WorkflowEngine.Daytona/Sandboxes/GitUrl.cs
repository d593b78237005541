using System.Text.RegularExpressions;

namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>
/// The repository URLs clone accepts: <c>https://</c>, <c>http://</c>, <c>ssh://</c>, <c>git://</c>, scp-like
/// <c>user@host:path</c>, and local repositories (<c>file://</c> or an absolute path). Remote helpers
/// (<c>ext::</c>, <c>fd::</c>, any <c>&lt;name&gt;::</c>), other schemes, options and relative paths are refused.
/// </summary>
public static partial class GitUrl
{
    private static readonly string[] Schemes = ["https", "http", "ssh", "git"];

    /// <summary>Why <paramref name="url"/> is refused, or <see langword="null"/> when it has an accepted form.</summary>
    public static string? Problem(string? url)
    {
        const string Accepted = "give https://…, ssh://…, git@host:path, file://… or an absolute local path";
        if (string.IsNullOrWhiteSpace(url) || url.StartsWith('-') || url.Any(char.IsControl))
        {
            return $"'{url}' is not a repository URL or path; {Accepted}.";
        }

        if (HelperSyntax().Match(url) is { Success: true } helper)
        {
            // <name>::<address> runs git-remote-<name>: ext:: runs any command, fd:: talks over the caller's descriptors.
            return $"'{url}' uses the remote helper '{helper.Groups[1].Value}::', which is refused (it can run programs or use the host's descriptors); {Accepted}.";
        }

        if (SchemeSyntax().Match(url) is { Success: true } scheme)
        {
            var name = scheme.Groups[1].Value.ToLowerInvariant();
            return name == "file"
                ? LocalPath(url) is null ? $"'{url}' does not name a folder on this machine; write file:///absolute/path." : null
                : Schemes.Contains(name) ? null : $"'{url}' uses the transport '{name}://', which is refused; {Accepted}.";
        }

        if (url.StartsWith('/'))
        {
            return null;
        }

        // scp-like [user@]host:path: a colon before any slash; a host starting with '-' would reach ssh as an option.
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        var host = colon > 0 ? url[(url.IndexOf('@', StringComparison.Ordinal) + 1)..colon] : "";
        return colon > 0 && (slash < 0 || colon < slash) && host.Length > 0 && !host.StartsWith('-')
            ? null
            : $"'{url}' is neither a URL nor an absolute path; {Accepted}.";
    }

    /// <summary>The host path of a local repository (<c>file://</c> URL or absolute path), made absolute; <see langword="null"/> for a remote URL.</summary>
    public static string? LocalPath(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile && uri.Host.Length == 0 ? Trim(Path.GetFullPath(uri.LocalPath)) : null;
        }

        return url.StartsWith('/') ? Trim(Path.GetFullPath(url)) : null;
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9+.-]*)::")]
    private static partial Regex HelperSyntax();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex SchemeSyntax();
}
