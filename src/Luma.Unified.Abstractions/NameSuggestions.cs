namespace Luma.Unified.Abstractions;

/// <summary>"Did you mean ...?" for misspelt keys and component names.</summary>
public static class NameSuggestions
{
    /// <summary>The candidate closest to <paramref name="name"/> by edit distance, if it is close enough to be a typo.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        // Two edits, or a third of the name for long names: catches "dimm", "lr_rate" -> "lr" is left alone.
        var budget = Math.Max(2, name.Length / 3);
        var list = candidates.ToList();
        return list
            .Select(c => (Candidate: c, Distance: EditDistance(name, c)))
            .Where(x => x.Distance <= budget)
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .Select(x => x.Candidate)
            .FirstOrDefault()
            // A shortened name ("o200k" for "o200k_base") is far in edits but plainly meant.
            ?? list.Where(c => name.Length >= 3 && c.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    public static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
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
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
