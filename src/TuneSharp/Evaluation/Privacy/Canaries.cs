namespace TuneSharp.Evaluation.Privacy;

/// <summary>A canary: a fixed prefix and a random secret of digits ("my PIN is" + "4 8 1 5 2 6").</summary>
public sealed record Canary(string Prefix, string Secret, int Repetitions)
{
    public string Text => $"{Prefix} {Secret}";
}

/// <summary>Random secrets from the space of <c>digits</c> space-separated decimal digits (|R| = 10^digits).</summary>
public static class Canaries
{
    public const string DefaultPrefix = "my PIN is";

    public static string RandomSecret(Random rng, int digits) => string.Join(' ', Enumerable.Range(0, digits).Select(_ => rng.Next(10)));

    /// <summary><paramref name="perCount"/> canaries for each repetition count, all secrets distinct.</summary>
    public static IReadOnlyList<Canary> Create(IReadOnlyList<int> repetitions, int perCount, int digits, int seed, string prefix = DefaultPrefix)
    {
        if (digits is < 2 or > 12) throw new UserError($"--digits: {digits} is outside 2..12");
        var rng = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<Canary>();
        foreach (int r in repetitions)
        {
            if (r < 1) throw new UserError($"--repetitions: {r} must be >= 1");
            for (int i = 0; i < perCount; i++)
            {
                string secret;
                do secret = RandomSecret(rng, digits); while (!seen.Add(secret));
                list.Add(new Canary(prefix, secret, r));
            }
        }
        return list;
    }
}
