using TuneSharp.Text;
namespace TuneSharp.Evaluation;

/// <summary>chrF settings; the defaults are sacreBLEU's chrF2 (use <see cref="ChrfPlusPlus"/> for chrF++).</summary>
/// <param name="CharOrder">Character n-gram order (6).</param>
/// <param name="WordOrder">Word n-gram order: 0 for chrF, 2 for chrF++.</param>
/// <param name="Beta">Recall weight (2: recall counts twice as much as precision).</param>
/// <param name="Lowercase">Lowercase both sides first.</param>
/// <param name="Whitespace">Keep whitespace inside character n-grams (off: whitespace is removed).</param>
/// <param name="EpsSmoothing">chrF++.py/NLTK/Moses epsilon smoothing instead of sacreBLEU 2.x's default
/// effective-order averaging.</param>
public sealed record ChrfOptions(
    int CharOrder = 6,
    int WordOrder = 0,
    int Beta = 2,
    bool Lowercase = false,
    bool Whitespace = false,
    bool EpsSmoothing = false)
{
    /// <summary>chrF++ as sacreBLEU's <c>CHRF(word_order=2)</c>.</summary>
    public static ChrfOptions ChrfPlusPlus { get; } = new(WordOrder: 2);

    /// <summary>The metric's name: "chrF2", "chrF2++".</summary>
    public string Name => $"chrF{Beta}" + new string('+', WordOrder);
}

/// <summary>A chrF result.</summary>
/// <param name="Score">chrF on a 0–100 scale.</param>
/// <param name="Name">"chrF2" or "chrF2++".</param>
/// <param name="Signature">e.g. "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:tunesharp-1".</param>
/// <param name="ShortSignature">The same with sacreBLEU's short keys.</param>
public sealed record ChrfScore(double Score, string Name, string Signature, string ShortSignature)
{
    /// <summary>sacreBLEU's text line: "chrF2|… = 59.73".</summary>
    public override string ToString() => $"{Signature} = {PyText.Fixed(Score, 2)}";
}

/// <summary>
/// chrF (Popović 2015) and chrF++ (Popović 2017) as sacreBLEU 2.x computes them: character n-gram
/// (and optionally word n-gram) precision and recall, averaged over orders, combined as F-beta.
/// Corpus scores pool the statistics; with several references, each segment uses the reference
/// that gives it the best F.
/// </summary>
public static class Chrf
{
    const string Metric = "chrf";
    const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Corpus chrF against one reference per hypothesis.</summary>
    public static ChrfScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, ChrfOptions? options = null)
        => Corpus(hypotheses, [EvalGuard.NotNull(Metric, references, "references")], options);

    /// <summary>Corpus chrF with sacreBLEU's reference layout (<c>referenceStreams[k][i]</c>: k-th reference of hypothesis i).</summary>
    public static ChrfScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        ChrfOptions? options = null)
    {
        options ??= new ChrfOptions();
        CheckOptions(options);
        var refs = ReferenceSet.FromStreams(Metric, hypotheses, referenceStreams);
        var totals = new long[3 * (options.CharOrder + options.WordOrder)];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var best = SegmentStatistics(hypotheses[i], refs.PerSegment[i], options);
            for (int k = 0; k < totals.Length; k++) totals[k] += best[k];
        }
        return Result(FScore(totals, options), options, refs.NRefs);
    }

    /// <summary>Sentence chrF (sacreBLEU's <c>sentence_chrf</c>).</summary>
    public static ChrfScore Sentence(string hypothesis, IReadOnlyList<string> references, ChrfOptions? options = null)
    {
        options ??= new ChrfOptions();
        CheckOptions(options);
        var segment = ReferenceSet.ForSentence(Metric, hypothesis, references);
        var stats = SegmentStatistics(hypothesis, segment.PerSegment[0], options);
        return Result(FScore(stats, options), options, segment.NRefs);
    }

    /// <summary>The signature these options produce for a given number of references.</summary>
    public static string Signature(ChrfOptions options, int nrefs = 1)
        => Result(0, options, nrefs.ToString(System.Globalization.CultureInfo.InvariantCulture)).Signature;

    static ChrfScore Result(double score, ChrfOptions o, string nrefs)
    {
        var fields = new List<(string, string, string)>
        {
            ("nrefs", "#", nrefs),
            ("case", "c", o.Lowercase ? "lc" : "mixed"),
            ("eff", "e", o.EpsSmoothing ? "no" : "yes"),
            ("nc", "nc", o.CharOrder.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("nw", "nw", o.WordOrder.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("space", "s", o.Whitespace ? "yes" : "no"),
        };
        return new ChrfScore(score, o.Name, SacreBleuCompat.Format(o.Name, fields, false), SacreBleuCompat.Format(o.Name, fields, true));
    }

    // Per order: [hypothesis n-grams, reference n-grams, matches], character orders first, then word orders.
    static long[] SegmentStatistics(string hypothesis, List<string> references, ChrfOptions o)
    {
        var hyp = AllNgrams(o.Lowercase ? hypothesis.ToLowerInvariant() : hypothesis, o);
        long[]? best = null;
        double bestF = -1.0;
        foreach (var reference in references)
        {
            var refGrams = AllNgrams(o.Lowercase ? reference.ToLowerInvariant() : reference, o);
            var stats = new long[3 * hyp.Count];
            for (int k = 0; k < hyp.Count; k++)
            {
                long hypCount = 0, match = 0;
                foreach (var (g, c) in hyp[k])
                {
                    hypCount += c;
                    if (refGrams[k].TryGetValue(g, out int rc)) match += Math.Min(c, rc);
                }
                // sacreBLEU does not count hypothesis n-grams of an order the reference lacks.
                stats[3 * k] = refGrams[k].Count > 0 ? hypCount : 0;
                stats[3 * k + 1] = refGrams[k].Values.Sum();
                stats[3 * k + 2] = match;
            }
            double f = FScore(stats, o);
            if (f > bestF) { bestF = f; best = stats; }
        }
        return best!;
    }

    static List<Dictionary<string, int>> AllNgrams(string sentence, ChrfOptions o)
    {
        var result = new List<Dictionary<string, int>>(o.CharOrder + o.WordOrder);
        var chars = PyText.Chars(o.Whitespace ? sentence : PyText.RemoveWhiteSpace(sentence)).ToArray();
        for (int n = 1; n <= o.CharOrder; n++) result.Add(Count(chars, n, ""));
        if (o.WordOrder > 0)
        {
            var words = SplitPunctuation(sentence);
            for (int n = 1; n <= o.WordOrder; n++) result.Add(Count(words, n, " "));
        }
        return result;
    }

    static Dictionary<string, int> Count(string[] units, int n, string separator)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= units.Length; i++)
        {
            string key = string.Join(separator, units, i, n);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    // chrF++'s word split: one punctuation mark is peeled off the end of a word, or else off its start
    // ("(hi)" becomes "(hi" and ")", as sacreBLEU does; its issue #124).
    static string[] SplitPunctuation(string sentence)
    {
        var words = new List<string>();
        foreach (var w in PyText.Split(sentence))
        {
            if (w.Length == 1) words.Add(w);
            else if (Punctuation.Contains(w[^1])) { words.Add(w[..^1]); words.Add(w[^1].ToString()); }
            else if (Punctuation.Contains(w[0])) { words.Add(w[0].ToString()); words.Add(w[1..]); }
            else words.Add(w);
        }
        return words.ToArray();
    }

    static double FScore(long[] stats, ChrfOptions o)
    {
        const double eps = 1e-16;
        int orders = o.CharOrder + o.WordOrder;
        double factor = (double)o.Beta * o.Beta;
        double epsScore = 0, avgPrec = 0, avgRec = 0;
        int effective = 0;
        for (int k = 0; k < orders; k++)
        {
            long nHyp = stats[3 * k], nRef = stats[3 * k + 1], nMatch = stats[3 * k + 2];
            double prec = nHyp > 0 ? (double)nMatch / nHyp : eps;
            double rec = nRef > 0 ? (double)nMatch / nRef : eps;
            double denom = factor * prec + rec;
            epsScore += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
            if (nHyp > 0 && nRef > 0)
            {
                avgPrec += prec;
                avgRec += rec;
                effective++;
            }
        }
        if (o.EpsSmoothing) return 100 * epsScore / orders;
        if (effective == 0) return 0.0;
        avgPrec /= effective;
        avgRec /= effective;
        if (avgPrec + avgRec == 0) return 0.0;
        // Same operation order as sacreBLEU, so results agree to the last bit.
        double score = (1 + factor) * avgPrec * avgRec;
        score /= factor * avgPrec + avgRec;
        return 100 * score;
    }

    static void CheckOptions(ChrfOptions o)
    {
        EvalGuard.NotNull(Metric, o, "options");
        if (o.CharOrder < 0 || o.WordOrder < 0 || o.CharOrder + o.WordOrder == 0)
            throw new UserError($"{Metric}: character order {o.CharOrder} and word order {o.WordOrder}; both must be >= 0 and at least one > 0.");
        if (o.Beta < 0)
            throw new UserError($"{Metric}: beta is {o.Beta}; it must be >= 0.");
    }
}
