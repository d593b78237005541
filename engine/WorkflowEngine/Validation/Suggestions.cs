namespace WorkflowEngine.Validation;

/// <summary>"Did you mean" hints by edit distance.</summary>
public static class Suggestions
{
    /// <summary>Returns <c> Did you mean 'x'?</c> for the closest candidate, or an empty string.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        // Bounded work per hint: names longer than any sensible id get none, and only candidates whose length is
        // within reach are compared, so a file with many long ids cannot make validation quadratic in their length.
        var reach = Math.Max(2, name.Length / 3);
        if (name.Length > MaxNameLength)
        {
            return "";
        }

        var lowered = name.ToLowerInvariant();
        var best = candidates
            .Where(c => Math.Abs(c.Length - name.Length) <= reach)
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Candidate: c, Distance: Distance(lowered, c.ToLowerInvariant())))
            .Where(c => c.Distance <= reach)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is null ? "" : $" Did you mean '{best.Candidate}'?";
    }

    /// <summary>Lists names for a message, or says there are none.</summary>
    public static string Known(IEnumerable<string> names)
    {
        var list = names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none are defined"
            : list.Count <= MaxListed ? "known: " + string.Join(", ", list)
            : $"known: {string.Join(", ", list.Take(MaxListed))} and {list.Count - MaxListed} more";
    }

    private const int MaxNameLength = 200;

    private const int MaxListed = 30;

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
