using System.Globalization;

namespace WorkflowEngine.Definitions;

/// <summary>Parses durations written as seconds (<c>30</c>) or with a unit (<c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>).</summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        var scale = 1.0;
        foreach (var (suffix, seconds) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value[..^suffix.Length];
                scale = seconds;
                break;
            }
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(number * scale);
        return true;
    }
}
