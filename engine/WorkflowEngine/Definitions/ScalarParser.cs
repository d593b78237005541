using System.Globalization;

namespace WorkflowEngine.Definitions;

/// <summary>Types plain YAML scalars the way YAML 1.2's core schema does.</summary>
internal static class ScalarParser
{
    public static object? Parse(string? text)
    {
        switch (text)
        {
            case null or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (text.Length > 0 && (char.IsDigit(text[0]) || text[0] is '-' or '+' or '.')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        return text;
    }
}
