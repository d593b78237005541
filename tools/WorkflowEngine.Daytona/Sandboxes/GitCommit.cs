namespace WorkflowEngine.Daytona.Sandboxes;

/// <summary>A commit in a log.</summary>
/// <param name="Hash">The full hash.</param>
/// <param name="Author">The author's name.</param>
/// <param name="Email">The author's e-mail.</param>
/// <param name="Date">When it was made.</param>
/// <param name="Message">The full message.</param>
public sealed record GitCommit(string Hash, string Author, string Email, DateTimeOffset Date, string Message);
