namespace EvoMerge.Common;

/// <summary>Suggests the nearest known name for a misspelt one (Levenshtein distance).</summary>
public static class DidYouMean
{
    /// <summary>
    /// <c>"; did you mean 'density'?"</c> when one of <paramref name="known"/> is within
    /// max(1, length/3) edits of <paramref name="name"/> (the nearest, first on ties), else "".
    /// </summary>
    public static string Hint(string name, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Name: k, Distance: Distance(name, k)))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(1, name.Length / 3)
            ? $"; did you mean '{best.Name}'?"
            : "";
    }

    /// <summary>Levenshtein distance (insert, delete, substitute, each cost 1), case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(
                    Math.Min(previous[j] + 1, current[j - 1] + 1),
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                );
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
