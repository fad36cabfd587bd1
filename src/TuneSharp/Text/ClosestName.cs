namespace TuneSharp.Text;

/// <summary>"Did you mean" suggestions by edit distance (Levenshtein, case-insensitive).</summary>
public static class ClosestName
{
    /// <summary>The candidate nearest to <paramref name="name"/>, or null when none is reasonably close.</summary>
    public static string? Find(string name, IEnumerable<string> candidates)
    {
        string? best = null; int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Distance(name.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance) { best = c; bestDistance = d; }
        }
        // Accept up to a third of the name's length in edits (at least 2): "learning_rat" → "learning_rate".
        return best is not null && bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
