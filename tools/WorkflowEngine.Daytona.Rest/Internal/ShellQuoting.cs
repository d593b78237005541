using System.Text;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>POSIX shell quoting: turns an argument vector into one command line that a shell splits back into the same words.</summary>
internal static class ShellQuoting
{
    /// <summary>Quotes one argument; safe words stay bare, everything else goes in single quotes.</summary>
    public static string Quote(string argument)
    {
        if (argument.Length == 0)
        {
            return "''";
        }

        if (argument.All(IsSafe))
        {
            return argument;
        }

        var builder = new StringBuilder(argument.Length + 8).Append('\'');
        foreach (var c in argument)
        {
            if (c == '\'')
            {
                builder.Append("'\\''");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>Joins an argument vector into one command line.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    private static bool IsSafe(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.' or '/' or ',' or ':' or '@' or '%' or '+';
}
