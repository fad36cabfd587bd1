using System.Text;
using System.Text.RegularExpressions;

namespace TuneSharp.Data.Perturb;

/// <summary>One character-level typo (Pruthi et al. 2019's noise, Belinkov &amp; Bisk 2018's keyboard typos).</summary>
public enum TypoOp { Swap, Drop, Insert, Keyboard }

/// <summary>What to do to a text: typos at a per-letter rate, then word drop.</summary>
/// <param name="TypoRate">
/// Probability that each letter (after word drop) is picked for a typo, in [0, 1]. A swap picked at a word's last
/// letter (or before the same letter) makes none, so with swap among the ops the realised share
/// (<see cref="PerturbedText.Typos"/> / <see cref="PerturbedText.Letters"/>) is a little lower.
/// </param>
/// <param name="Ops">The typos drawn from, uniformly.</param>
/// <param name="WordDrop">Probability that each whitespace-separated word is removed, in [0, 1) (a text keeps at least one word).</param>
public sealed record PerturbOptions(double TypoRate, IReadOnlyList<TypoOp> Ops, double WordDrop)
{
    /// <summary>Parses "swap,drop,insert,keyboard" (any subset); errors name <paramref name="where"/>.</summary>
    public static IReadOnlyList<TypoOp> ParseOps(string text, string where)
    {
        var ops = new List<TypoOp>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            ops.Add(part switch
            {
                "swap" => TypoOp.Swap, "drop" => TypoOp.Drop, "insert" => TypoOp.Insert, "keyboard" => TypoOp.Keyboard,
                _ => throw new UserError($"{where}: '{part}' is not swap, drop, insert or keyboard"),
            });
        if (ops.Count == 0) throw new UserError($"{where}: name at least one of swap, drop, insert, keyboard");
        return ops.Distinct().ToList();
    }
}

/// <summary>What one text's perturbation changed.</summary>
/// <param name="Text">The perturbed text.</param>
/// <param name="Letters">Letters the typo pass looked at.</param>
/// <param name="Typos">Typos made (a swap counts once, though it moves two letters).</param>
/// <param name="Words">Words before word drop.</param>
/// <param name="WordsDropped">Words removed.</param>
public sealed record PerturbedText(string Text, int Letters, int Typos, int Words, int WordsDropped);

/// <summary>
/// Perturbs text for robustness tests: word drop (each word removed with probability word_drop, at least one
/// kept), then character typos (each letter, with probability typo_rate, swapped with the next letter, dropped,
/// followed by an inserted random letter, or replaced by a QWERTY neighbour). All draws come from the given
/// <see cref="Random"/>, so a seeded one gives the same output every time.
/// </summary>
public static class TextPerturbation
{
    static readonly Regex Word = new(@"\S+\s*", RegexOptions.Compiled);

    /// <summary>Perturbs <paramref name="text"/> with <paramref name="rng"/>.</summary>
    public static PerturbedText Apply(string text, PerturbOptions o, Random rng)
    {
        var (kept, words, dropped) = DropWords(text, o.WordDrop, rng);
        var (typed, letters, typos) = Typos(kept, o, rng);
        return new PerturbedText(typed, letters, typos, words, dropped);
    }

    static (string Text, int Words, int Dropped) DropWords(string text, double rate, Random rng)
    {
        var words = Word.Matches(text).Select(m => m.Value).ToList();
        if (rate <= 0 || words.Count <= 1) return (text, words.Count, 0);
        int lead = text.Length - text.TrimStart().Length;
        var keep = words.Select(_ => rng.NextDouble() >= rate).ToList();
        if (!keep.Contains(true)) keep[rng.Next(words.Count)] = true; // an empty text would be a different test
        var sb = new StringBuilder(text[..lead]);
        for (int i = 0; i < words.Count; i++) if (keep[i]) sb.Append(words[i]);
        return (sb.ToString().TrimEnd() + text[(text.TrimEnd().Length)..], words.Count, keep.Count(k => !k));
    }

    static (string Text, int Letters, int Typos) Typos(string text, PerturbOptions o, Random rng)
    {
        if (o.TypoRate <= 0) return (text, text.Count(char.IsLetter), 0);
        var sb = new StringBuilder(text.Length + 8);
        int letters = 0, typos = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsLetter(c)) { sb.Append(c); continue; }
            letters++;
            if (rng.NextDouble() >= o.TypoRate) { sb.Append(c); continue; }
            var op = o.Ops[rng.Next(o.Ops.Count)];
            switch (op)
            {
                case TypoOp.Swap when i + 1 < text.Length && char.IsLetter(text[i + 1]) && text[i + 1] != c:
                    sb.Append(text[i + 1]).Append(c);
                    i++; letters++; // the next letter has been used
                    typos++;
                    break;
                case TypoOp.Drop:
                    typos++;
                    break;
                case TypoOp.Insert:
                    sb.Append(c).Append(RandomLetter(c, rng));
                    typos++;
                    break;
                case TypoOp.Keyboard when KeyboardNeighbours.Of(c) is { Length: > 0 } near:
                    sb.Append(near[rng.Next(near.Length)]);
                    typos++;
                    break;
                default:
                    sb.Append(c); // a swap at a word's end, or a key with no QWERTY neighbour (é): no typo here
                    break;
            }
        }
        return (sb.ToString(), letters, typos);
    }

    static char RandomLetter(char like, Random rng)
    {
        char l = (char)('a' + rng.Next(26));
        return char.IsUpper(like) ? char.ToUpperInvariant(l) : l;
    }
}
