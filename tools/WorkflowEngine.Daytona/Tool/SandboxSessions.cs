using System.Text.RegularExpressions;

namespace WorkflowEngine.Daytona.Tool;

/// <summary>
/// Named sessions (<c>wfe run --session NAME</c>): each remembers its current sandbox in
/// <c>&lt;data&gt;/sessions/&lt;NAME&gt;</c>, so that "my environment" in a later run reaches it.
/// </summary>
public sealed partial class SandboxSessions(string dataDirectory)
{
    private readonly string _directory = Path.Combine(dataDirectory, "sessions");

    /// <summary>The session's current sandbox id, or <see langword="null"/>.</summary>
    public string? Current(string session) =>
        File.Exists(PathOf(session)) ? File.ReadAllText(PathOf(session)).Trim() is { Length: > 0 } id ? id : null : null;

    /// <summary>Makes a sandbox the session's current one.</summary>
    public void SetCurrent(string session, string sandboxId)
    {
        Directory.CreateDirectory(_directory);
        var path = PathOf(session);
        File.WriteAllText(path + ".tmp", sandboxId);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Forgets the session's sandbox when it is the given one (after it was deleted).</summary>
    public void Forget(string sandboxId)
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            if (File.ReadAllText(file).Trim() == sandboxId)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Whether a session name is acceptable: letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValidName(string session) => SessionName().IsMatch(session);

    private string PathOf(string session) => IsValidName(session)
        ? Path.Combine(_directory, session)
        : throw new ArgumentException($"Session name '{session}' is not valid; use letters, digits, '.', '_' or '-'.", nameof(session));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex SessionName();
}
