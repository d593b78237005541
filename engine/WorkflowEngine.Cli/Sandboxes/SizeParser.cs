using System.Globalization;

namespace WorkflowEngine.Cli.Sandboxes;

/// <summary>Parses sizes such as <c>512M</c>, <c>1G</c>, <c>64MiB</c> or a plain byte count.</summary>
internal static class SizeParser
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToUpperInvariant().Replace("IB", "", StringComparison.Ordinal).TrimEnd('B');
        var scale = value.Length > 0 ? value[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1L } : 1L;
        if (scale != 1)
        {
            value = value[..^1];
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        bytes = (long)(number * scale);
        return true;
    }
}
