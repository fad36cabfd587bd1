using System.Text;
using TuneSharp.Data.Dedup;

namespace TuneSharp.Data.Audit;

/// <summary>Feature extraction settings for <see cref="HashedFeatures"/>.</summary>
public sealed record FeatureOptions
{
    /// <summary>Word n-grams from 1 to this (2: unigrams and bigrams).</summary>
    public int MaxWordNgram { get; init; } = 2;
    /// <summary>Smallest character n-gram inside words (padded with spaces, as in fastText); 0 disables them.</summary>
    public int MinCharNgram { get; init; } = 3;
    /// <summary>Largest character n-gram.</summary>
    public int MaxCharNgram { get; init; } = 5;
    /// <summary>Feature space size is 2^HashBits.</summary>
    public int HashBits { get; init; } = 18;
    /// <summary>Only the first this many characters are read (long emails and HTML pages cost time, add little).</summary>
    public int MaxChars { get; init; } = 20_000;
}

/// <summary>
/// Term counts of hashed word and character n-grams (the hashing trick: no vocabulary to build or store).
/// Deterministic: hashes come from <see cref="StableHash"/>.
/// </summary>
public static class HashedFeatures
{
    /// <summary>Hashed n-gram counts of a text, as sorted (index, count) pairs.</summary>
    public static (int[] Index, float[] Count) Count(string text, FeatureOptions options)
    {
        var counts = new Dictionary<int, float>();
        int mask = (1 << options.HashBits) - 1;
        var words = Words(text.Length > options.MaxChars ? text[..options.MaxChars] : text);
        for (int i = 0; i < words.Count; i++)
        {
            ulong h = 0x9e3779b97f4a7c15UL;
            for (int n = 1; n <= options.MaxWordNgram && i + n <= words.Count; n++)
            {
                h = StableHash.Mix(h ^ StableHash.Of(words[i + n - 1]));
                Add(counts, (int)(h & (ulong)mask));
            }
            if (options.MinCharNgram <= 0) continue;
            var padded = " " + words[i] + " ";
            for (int n = options.MinCharNgram; n <= options.MaxCharNgram; n++)
                for (int s = 0; s + n <= padded.Length; s++)
                    Add(counts, (int)(StableHash.Mix(StableHash.Of(padded.AsSpan(s, n)) + 0x632be59bd9b4e019UL) & (ulong)mask));
        }
        var index = counts.Keys.ToArray();
        Array.Sort(index);
        var values = new float[index.Length];
        for (int i = 0; i < index.Length; i++) values[i] = counts[index[i]];
        return (index, values);
    }

    static void Add(Dictionary<int, float> counts, int key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    static List<string> Words(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
            else if (sb.Length > 0) { words.Add(sb.ToString()); sb.Clear(); }
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }
}
