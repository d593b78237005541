namespace WorkflowEngine.Validation;

/// <summary>"Did you mean" hints by edit distance.</summary>
public static class Suggestions
{
    /// <summary>Returns <c> Did you mean 'x'?</c> for the closest candidate, or an empty string.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        var best = candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Candidate: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is null ? "" : $" Did you mean '{best.Candidate}'?";
    }

    /// <summary>Lists names for a message, or says there are none.</summary>
    public static string Known(IEnumerable<string> names)
    {
        var list = names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none are defined" : "known: " + string.Join(", ", list);
    }

    /// <summary>The Levenshtein distance between two strings.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
