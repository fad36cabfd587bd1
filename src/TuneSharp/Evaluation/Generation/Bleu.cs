using TuneSharp.Text;
namespace TuneSharp.Evaluation;

/// <summary>BLEU's smoothing for zero n-gram matches (Chen &amp; Cherry 2014), as in sacreBLEU.</summary>
public enum BleuSmoothing
{
    /// <summary>"none": a zero precision makes the score 0.</summary>
    None,
    /// <summary>"floor": a zero match count is replaced by the smoothing value (default 0.1).</summary>
    Floor,
    /// <summary>"add-k": k (default 1) is added to matches and totals for n &gt; 1.</summary>
    AddK,
    /// <summary>"exp": mteval-v13a's exponential decay, sacreBLEU's default: the i-th zero precision becomes 1/(2^i · total).</summary>
    Exp,
}

/// <summary>BLEU settings; the defaults are sacreBLEU's corpus BLEU defaults.</summary>
/// <param name="Lowercase">Lowercase both sides first (signature "case:lc").</param>
/// <param name="Tokenizer">Tokenizer, "13a" by default.</param>
/// <param name="Smoothing">Smoothing method, "exp" by default.</param>
/// <param name="SmoothValue">Value for floor/add-k; null uses sacreBLEU's default (0.1 / 1).</param>
/// <param name="MaxNgramOrder">Highest n-gram order, 4 by default.</param>
/// <param name="EffectiveOrder">Average only over n-gram orders the hypothesis has (sacreBLEU <c>effective_order</c>);
/// off for corpus BLEU, on for sentence BLEU.</param>
public sealed record BleuOptions(
    bool Lowercase = false,
    BleuTokenizer Tokenizer = BleuTokenizer.Tok13a,
    BleuSmoothing Smoothing = BleuSmoothing.Exp,
    double? SmoothValue = null,
    int MaxNgramOrder = 4,
    bool EffectiveOrder = false)
{
    /// <summary>sacreBLEU's name for the smoothing, with its value where it takes one ("exp", "floor[0.10]").</summary>
    public string SmoothingName => Smoothing switch
    {
        BleuSmoothing.None => "none",
        BleuSmoothing.Exp => "exp",
        BleuSmoothing.Floor => "floor[" + PyText.Fixed(SmoothValue ?? 0.1, 2) + "]",
        BleuSmoothing.AddK => "add-k[" + PyText.Fixed(SmoothValue ?? 1, 2) + "]",
        _ => throw new UserError($"bleu: unknown smoothing '{Smoothing}'."),
    };
}

/// <summary>
/// A BLEU result with sacreBLEU's sufficient statistics and its reproducibility signature.
/// </summary>
/// <param name="Score">BLEU on a 0–100 scale.</param>
/// <param name="Counts">Matched n-grams per order (clipped by the references).</param>
/// <param name="Totals">Hypothesis n-grams per order.</param>
/// <param name="Precisions">Per-order precisions on a 0–100 scale, after smoothing.</param>
/// <param name="BrevityPenalty">exp(1 − ref/hyp) when the hypotheses are shorter, else 1.</param>
/// <param name="SysLen">Total hypothesis length in tokens.</param>
/// <param name="RefLen">Total closest-reference length in tokens.</param>
/// <param name="Signature">e.g. "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:tunesharp-1".</param>
/// <param name="ShortSignature">The same with sacreBLEU's short keys ("BLEU|#:1|c:mixed|e:no|tok:13a|s:exp|v:…").</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<long> Counts,
    IReadOnlyList<long> Totals,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long SysLen,
    long RefLen,
    string Signature,
    string ShortSignature)
{
    /// <summary>Hypothesis length over reference length (0 when the reference length is 0).</summary>
    public double Ratio => RefLen == 0 ? 0 : (double)SysLen / RefLen;

    /// <summary>sacreBLEU's verbose part: "82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)".</summary>
    public string Verbose =>
        string.Join("/", Precisions.Select(p => PyText.Fixed(p, 1))) +
        $" (BP = {PyText.Fixed(BrevityPenalty, 3)} ratio = {PyText.Fixed(Ratio, 3)} hyp_len = {SysLen} ref_len = {RefLen})";

    /// <summary>sacreBLEU's text line: "BLEU|nrefs:…|version:… = 48.53 82.4/50.0/…".</summary>
    public override string ToString() => $"{Signature} = {PyText.Fixed(Score, 2)} {Verbose}";
}

/// <summary>
/// BLEU (Papineni et al. 2002) exactly as sacreBLEU 2.x computes it. Corpus BLEU pools n-gram
/// statistics over all segments; with several references, n-gram counts are clipped by the maximum
/// count over references and the closest reference length (shorter on ties) is used.
/// </summary>
public static class Bleu
{
    const string Metric = "bleu";
    const double LogOfZero = -9999999999; // sacreBLEU's my_log(0)

    /// <summary>Corpus BLEU against one reference per hypothesis.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, BleuOptions? options = null)
        => Corpus(hypotheses, [EvalGuard.NotNull(Metric, references, "references")], options);

    /// <summary>
    /// Corpus BLEU with sacreBLEU's reference layout: <c>referenceStreams[k][i]</c> is the k-th reference
    /// of hypothesis i. Empty or null entries give a variable number of references ("nrefs:var").
    /// </summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        BleuOptions? options = null)
    {
        options ??= new BleuOptions();
        CheckOptions(options);
        var refs = ReferenceSet.FromStreams(Metric, hypotheses, referenceStreams);
        int n = options.MaxNgramOrder;
        var correct = new long[n];
        var total = new long[n];
        long sysLen = 0, refLen = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var seg = SegmentStatistics(hypotheses[i], refs.PerSegment[i], options);
            sysLen += seg.HypLen;
            refLen += seg.RefLen;
            for (int k = 0; k < n; k++) { correct[k] += seg.Correct[k]; total[k] += seg.Total[k]; }
        }
        return FromStatistics(correct, total, sysLen, refLen, options, refs.NRefs);
    }

    /// <summary>
    /// Sentence BLEU as sacreBLEU's <c>sentence_bleu</c>: exp smoothing with effective order on unless
    /// <paramref name="options"/> says otherwise.
    /// </summary>
    public static BleuScore Sentence(string hypothesis, IReadOnlyList<string> references, BleuOptions? options = null)
    {
        options ??= new BleuOptions(EffectiveOrder: true);
        var segment = ReferenceSet.ForSentence(Metric, hypothesis, references);
        return Corpus([hypothesis], segment.PerSegment.Single().Select(r => (IReadOnlyList<string>)[r]).ToList(), options);
    }

    /// <summary>
    /// BLEU from sufficient statistics (sacreBLEU's <c>BLEU.compute_bleu</c>): matched and total
    /// n-grams per order, total hypothesis and reference lengths.
    /// </summary>
    public static BleuScore FromStatistics(IReadOnlyList<long> correct, IReadOnlyList<long> total, long sysLen, long refLen,
        BleuOptions? options = null, string nrefs = "1")
    {
        options ??= new BleuOptions();
        CheckOptions(options);
        int maxOrder = options.MaxNgramOrder;
        if (correct.Count != maxOrder || total.Count != maxOrder)
            throw new UserError($"{Metric}: statistics need {maxOrder} match and total counts (max n-gram order), got {correct.Count} and {total.Count}.");

        double bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - (double)refLen / sysLen) : 0.0) : 1.0;
        var precisions = new double[maxOrder];
        var (sig, shortSig) = Signatures(options, nrefs);
        // sacreBLEU returns 0 at once when nothing matches at all (its issue #141).
        if (correct.All(c => c == 0))
            return new BleuScore(0.0, correct.ToArray(), total.ToArray(), precisions, bp, sysLen, refLen, sig, shortSig);

        double smoothValue = options.SmoothValue ?? (options.Smoothing == BleuSmoothing.AddK ? 1.0 : 0.1);
        double smoothMteval = 1.0;
        int effOrder = maxOrder;
        for (int k = 1; k <= maxOrder; k++)
        {
            double c = correct[k - 1], t = total[k - 1];
            if (options.Smoothing == BleuSmoothing.AddK && k > 1) { c += smoothValue; t += smoothValue; }
            if (t == 0) break;
            if (options.EffectiveOrder) effOrder = k;
            if (c == 0)
            {
                if (options.Smoothing == BleuSmoothing.Exp)
                {
                    smoothMteval *= 2;
                    precisions[k - 1] = 100.0 / (smoothMteval * t);
                }
                else if (options.Smoothing == BleuSmoothing.Floor)
                    precisions[k - 1] = 100.0 * smoothValue / t;
            }
            else precisions[k - 1] = 100.0 * c / t;
        }
        double logSum = 0;
        for (int k = 0; k < effOrder; k++) logSum += precisions[k] == 0.0 ? LogOfZero : Math.Log(precisions[k]);
        double score = bp * Math.Exp(logSum / effOrder);
        return new BleuScore(score, correct.ToArray(), total.ToArray(), precisions, bp, sysLen, refLen, sig, shortSig);
    }

    /// <summary>The signature these options produce for a given number of references.</summary>
    public static string Signature(BleuOptions options, int nrefs = 1)
        => Signatures(options, nrefs.ToString(System.Globalization.CultureInfo.InvariantCulture)).Long;

    static (string Long, string Short) Signatures(BleuOptions o, string nrefs)
    {
        var fields = new List<(string, string, string)>
        {
            ("nrefs", "#", nrefs),
            ("case", "c", o.Lowercase ? "lc" : "mixed"),
            ("eff", "e", o.EffectiveOrder ? "yes" : "no"),
            ("tok", "tok", BleuTokenizers.Name(o.Tokenizer)),
            ("smooth", "s", o.SmoothingName),
        };
        return (SacreBleuCompat.Format("BLEU", fields, false), SacreBleuCompat.Format("BLEU", fields, true));
    }

    sealed record SegmentStats(long HypLen, long RefLen, long[] Correct, long[] Total);

    static SegmentStats SegmentStatistics(string hypothesis, List<string> references, BleuOptions o)
    {
        int n = o.MaxNgramOrder;
        Dictionary<string, int>? refNgrams = null;
        var refLens = new List<int>();
        foreach (var r in references)
        {
            var (grams, len) = Ngrams(Preprocess(r, o), n);
            refLens.Add(len);
            if (refNgrams is null) refNgrams = grams;
            else
                foreach (var (g, c) in grams)
                    refNgrams[g] = Math.Max(refNgrams.GetValueOrDefault(g), c);
        }
        var (hypNgrams, hypLen) = Ngrams(Preprocess(hypothesis, o), n);
        int refLen = ClosestRefLength(hypLen, refLens);
        var correct = new long[n];
        var total = new long[n];
        foreach (var (g, c) in hypNgrams)
        {
            int order = g.Count(ch => ch == ' ');
            total[order] += c;
            if (refNgrams!.TryGetValue(g, out int rc)) correct[order] += Math.Min(c, rc);
        }
        return new SegmentStats(hypLen, refLen, correct, total);
    }

    static string Preprocess(string sentence, BleuOptions o)
    {
        if (o.Lowercase) sentence = sentence.ToLowerInvariant();
        return BleuTokenizers.Tokenize(PyText.RStrip(sentence), o.Tokenizer);
    }

    // n-grams are keyed by their space-joined tokens; tokens never contain whitespace, so the number
    // of spaces in a key is its order minus one.
    static (Dictionary<string, int> Grams, int Length) Ngrams(string tokenized, int maxOrder)
    {
        var tokens = PyText.Split(tokenized).ToArray();
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 1; k <= maxOrder; k++)
            for (int i = 0; i + k <= tokens.Length; i++)
            {
                string key = string.Join(" ", tokens, i, k);
                grams[key] = grams.GetValueOrDefault(key) + 1;
            }
        return (grams, tokens.Length);
    }

    static int ClosestRefLength(int hypLen, List<int> refLens)
    {
        int closestDiff = -1, closestLen = -1;
        foreach (int len in refLens)
        {
            int diff = Math.Abs(hypLen - len);
            if (closestDiff == -1 || diff < closestDiff) { closestDiff = diff; closestLen = len; }
            else if (diff == closestDiff && len < closestLen) closestLen = len;
        }
        return closestLen;
    }

    static void CheckOptions(BleuOptions o)
    {
        EvalGuard.NotNull(Metric, o, "options");
        if (o.MaxNgramOrder < 1)
            throw new UserError($"{Metric}: max n-gram order is {o.MaxNgramOrder}; it must be at least 1.");
        if (o.SmoothValue is double v && (double.IsNaN(v) || v < 0))
            throw new UserError($"{Metric}: smoothing value is {v}; it must be a non-negative number.");
    }
}
