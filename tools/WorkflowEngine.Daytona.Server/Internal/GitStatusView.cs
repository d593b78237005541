using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>The toolbox's <c>GitStatus</c>, from <c>git status --porcelain</c> lines (<c>XY name</c>).</summary>
internal sealed record GitStatusView(string CurrentBranch, IReadOnlyList<GitStatusView.FileStatusView> FileStatus, int Ahead, int Behind, bool Detached)
{
    // What `git status --branch` prints for a detached HEAD; the daemon reports the ref's short name, HEAD.
    private const string DetachedHeader = "HEAD (no branch)";

    public static GitStatusView From(GitStatus status)
    {
        var files = status.Files
            .Where(line => line.Length > 3)
            .Select(line =>
            {
                var name = line[3..];
                var extra = "";
                var arrow = name.IndexOf(" -> ", StringComparison.Ordinal);
                if (arrow >= 0)
                {
                    extra = Unquote(name[..arrow]);
                    name = name[(arrow + 4)..];
                }

                return new FileStatusView(Unquote(name), Status(line[0]), Status(line[1]), extra);
            })
            .ToList();
        var detached = status.Branch.StartsWith(DetachedHeader, StringComparison.Ordinal);
        return new GitStatusView(detached ? "HEAD" : status.Branch, files, status.Ahead, status.Behind, detached);
    }

    /// <summary>
    /// A porcelain path as the file is named: git writes names with quotes, control characters or non-ASCII bytes as
    /// C strings (<c>"na\303\257ve.txt"</c>), while the daemon reports plain names.
    /// </summary>
    internal static string Unquote(string path)
    {
        if (path.Length < 2 || path[0] != '"' || path[^1] != '"')
        {
            return path;
        }

        var bytes = new List<byte>(path.Length);
        var plain = new StringBuilder();
        for (var i = 1; i < path.Length - 1; i++)
        {
            var c = path[i];
            if (c != '\\' || i + 1 >= path.Length - 1)
            {
                plain.Append(c);
                continue;
            }

            // Escapes stand for bytes; text between them (UTF-8 when core.quotePath is off) is appended as it is.
            bytes.AddRange(Encoding.UTF8.GetBytes(plain.ToString()));
            plain.Clear();
            var next = path[++i];
            if (next is >= '0' and <= '7' && i + 2 < path.Length - 1)
            {
                // Three octal digits: one raw byte of the UTF-8 name.
                bytes.Add((byte)(((next - '0') << 6) | ((path[i + 1] - '0') << 3) | (path[i + 2] - '0')));
                i += 2;
                continue;
            }

            byte? control = next switch
            {
                'a' => 0x07,
                'b' => 0x08,
                't' => 0x09,
                'n' => 0x0A,
                'v' => 0x0B,
                'f' => 0x0C,
                'r' => 0x0D,
                _ => null,
            };
            if (control is { } value)
            {
                bytes.Add(value);
            }
            else
            {
                plain.Append(next);
            }
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(plain.ToString()));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string Status(char code) => code switch
    {
        '?' => "Untracked",
        'M' => "Modified",
        'A' => "Added",
        'D' => "Deleted",
        'R' => "Renamed",
        'C' => "Copied",
        'U' => "Updated but unmerged",
        _ => "Unmodified",
    };

    /// <summary>One entry of <see cref="FileStatus"/>.</summary>
    internal sealed record FileStatusView(string Name, string Staging, string Worktree, string Extra);
}
