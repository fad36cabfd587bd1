using TuneSharp.Evaluation;
using TuneSharp.Text;

namespace TuneSharp.Tests.Evaluation;

public class BleuTests
{
    // sacrebleu test/test_bleu.py uses EPSILON = 1e-8 on scores scaled to 0-1 or 0-100 as noted per test.
    const double Eps = 1e-8;

    // sacreBLEU README ("Using SacreBLEU from Python") and test/test_bleu.py (_refs, _hyps).
    static readonly IReadOnlyList<IReadOnlyList<string>> Refs =
    [
        ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ];
    static readonly string[] Hyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];

    [Fact]
    public void CorpusBleuMatchesReadmeAndTestBleu()
    {
        // test_bleu.py test_corpus_bleu: default settings -> 48.530827
        // README: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18),
        //         signature nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0
        var s = Bleu.Corpus(Hyps, Refs);
        Assert.True(Math.Abs(s.Score - 48.530827) < Eps * 100, $"BLEU {s.Score}");
        Assert.Equal("82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)", s.Verbose);
        Assert.Equal("BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:tunesharp-1", s.Signature);
        Assert.Equal("BLEU|#:2|c:mixed|e:no|tok:13a|s:exp|v:tunesharp-1", s.ShortSignature);
        Assert.Equal("BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:tunesharp-1 = 48.53 " + s.Verbose, s.ToString());
    }

    [Theory]
    // test_bleu.py test_corpus_bleu
    [InlineData(BleuTokenizer.None, BleuSmoothing.Exp, 49.1919566)]
    [InlineData(BleuTokenizer.Tok13a, BleuSmoothing.None, 48.530827)]
    public void CorpusBleuVariantsMatchTestBleu(BleuTokenizer tok, BleuSmoothing smoothing, double expected)
    {
        var s = Bleu.Corpus(Hyps, Refs, new BleuOptions(Tokenizer: tok, Smoothing: smoothing));
        Assert.True(Math.Abs(s.Score - expected) < 1e-6, $"BLEU {s.Score}");
    }

    [Fact]
    public void EmptyHypothesesAreKeptAndScoreZero()
    {
        // test_bleu.py test_corpus_bleu: (('', '', ''), _refs, {}, 0.0) "ensure that empty hypotheses are not removed"
        var s = Bleu.Corpus(["", "", ""], Refs);
        Assert.Equal(0.0, s.Score);
        Assert.Equal(0, s.SysLen);
        Assert.Equal(0.0, s.BrevityPenalty);
    }

    [Fact]
    public void VariableNumberOfReferences()
    {
        // README "Variable Number of References": first reference of segment 0 is ''
        // -> BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19), nrefs:var
        IReadOnlyList<IReadOnlyList<string>> refs =
        [
            ["", "It was not unexpected.", "The man bit him first."],
            ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
        ];
        var s = Bleu.Corpus(Hyps, refs);
        Assert.Equal("29.44", PyText.Fixed(s.Score, 2));
        Assert.Equal("82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)", s.Verbose);
        Assert.StartsWith("BLEU|nrefs:var|", s.Signature);
    }

    [Theory]
    // test_bleu.py test_max_ngram_order: f"{bleu.score:.2f}"
    [InlineData(1, "77.65")]
    [InlineData(2, "60.50")]
    [InlineData(3, "53.93")]
    [InlineData(4, "48.53")]
    [InlineData(5, "46.14")]
    [InlineData(6, "43.28")]
    public void MaxNgramOrder(int order, string expected)
        => Assert.Equal(expected, PyText.Fixed(Bleu.Corpus(Hyps, Refs, new BleuOptions(MaxNgramOrder: order)).Score, 2));

    // sacrebleu compat raw_corpus_bleu: floor smoothing (default value 0.1), tokenize='none', effective order.
    static BleuOptions Raw(double? floor) => new(Tokenizer: BleuTokenizer.None, Smoothing: BleuSmoothing.Floor,
        SmoothValue: floor, EffectiveOrder: true);

    [Theory]
    // test_bleu.py test_raw_bleu (raw_corpus_bleu(..., .01).score / 100)
    [InlineData(new[] { "this is a test", "another test" }, new[] { "ref1", "ref2" }, 0.0)]
    [InlineData(new[] { "this is a test" }, new[] { "this is a test" }, 1.0)]
    [InlineData(new[] { "this is a fest" }, new[] { "this is a test" }, 0.223606797749979)]
    // test_bleu.py test_effective_order
    [InlineData(new[] { "test" }, new[] { "a test" }, 0.3678794411714425)]
    [InlineData(new[] { "a test" }, new[] { "a test" }, 1.0)]
    [InlineData(new[] { "a little test" }, new[] { "a test" }, 0.03218297948685433)]
    public void RawCorpusBleu(string[] hyps, string[] refs, double expected)
    {
        double score = Bleu.Corpus(hyps, refs, Raw(0.01)).Score / 100;
        Assert.True(Math.Abs(score - expected) < Eps, $"BLEU {score}");
    }

    [Fact]
    public void StatisticsMatchTestBleu()
    {
        // test_bleu.py test_statistics: counts [4, 2, 1, 0], totals [6, 5, 4, 3]
        var s = Bleu.Corpus(["am I am a character sequence"], ["I am a symbol string sequence a a"], Raw(0.01));
        Assert.Equal([4L, 2L, 1L, 0L], s.Counts);
        Assert.Equal([6L, 5L, 4L, 3L], s.Totals);
    }

    [Fact]
    public void OffsetMatchesTestBleu()
    {
        // test_bleu.py test_offset: floor 0.0 -> 0; floor default (0.1) -> 0.1555722182
        string[] hyp = ["am I am a character sequence"];
        string[] refs = ["I am a symbol string sequence a a"];
        Assert.True(Math.Abs(Bleu.Corpus(hyp, refs, Raw(0.0)).Score / 100 - 0) < Eps);
        Assert.True(Math.Abs(Bleu.Corpus(hyp, refs, Raw(null)).Score / 100 - 0.1555722182) < Eps);
        Assert.True(Math.Abs(Bleu.Corpus(hyp, refs, Raw(0.1)).Score / 100 - 0.1555722182) < Eps);
    }

    [Fact]
    public void ScoringFromStatistics()
    {
        // test_bleu.py test_scoring: compute_bleu([9,7,5,3], [10,8,6,4], 11, 11) (smooth 'none') -> 0.8375922397
        var s = Bleu.FromStatistics([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, new BleuOptions(Smoothing: BleuSmoothing.None));
        Assert.True(Math.Abs(s.Score / 100 - 0.8375922397) < Eps, $"BLEU {s.Score}");
    }

    [Theory]
    // test_bleu.py test_degenerate_statistics (floor smoothing with the given value) -> 0.0
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 4, 4, 2, 1 }, 0, 1, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 10, 11, 12, 0 }, 14, 10, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 0, 0, 0.0)]
    [InlineData(new long[] { 6, 5, 4, 0 }, new long[] { 6, 5, 4, 3 }, 6, 6, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 0, 0, 0.1)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 1, 5, 0.01)]
    public void DegenerateStatisticsScoreZero(long[] correct, long[] total, long sys, long refLen, double floor)
    {
        var s = Bleu.FromStatistics(correct, total, sys, refLen, new BleuOptions(Smoothing: BleuSmoothing.Floor, SmoothValue: floor));
        Assert.Equal(0.0, s.Score / 100);
    }

    // sacrebleu test/test_sentence_bleu.py (issue #98), EPSILON = 1e-3
    const string Ref98 = "producţia de zahăr brut se exprimă în zahăr alb;";
    const string Sys98 = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

    [Theory]
    [InlineData(BleuSmoothing.Exp, null, false, BleuTokenizer.Tok13a, 8.493)]
    [InlineData(BleuSmoothing.None, null, false, BleuTokenizer.Tok13a, 0.0)]
    [InlineData(BleuSmoothing.Floor, null, false, BleuTokenizer.Tok13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.1, false, BleuTokenizer.Tok13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.5, false, BleuTokenizer.Tok13a, 10.10)]
    [InlineData(BleuSmoothing.AddK, null, false, BleuTokenizer.Tok13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 1.0, false, BleuTokenizer.Tok13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 2.0, false, BleuTokenizer.Tok13a, 21.389)]
    [InlineData(BleuSmoothing.Exp, null, false, BleuTokenizer.None, 7.347)]
    [InlineData(BleuSmoothing.Exp, null, false, BleuTokenizer.Char, 40.8759)]
    [InlineData(BleuSmoothing.Exp, null, true, BleuTokenizer.Char, 42.0267)]
    public void SentenceBleuMatchesTestSentenceBleu(BleuSmoothing smoothing, double? value, bool lowercase, BleuTokenizer tok, double expected)
    {
        var s = Bleu.Sentence(Sys98, [Ref98],
            new BleuOptions(Lowercase: lowercase, Tokenizer: tok, Smoothing: smoothing, SmoothValue: value, EffectiveOrder: true));
        Assert.True(Math.Abs(s.Score - expected) < 1e-3, $"BLEU {s.Score}");
    }

    [Fact]
    public void SentenceBleuDefaultsToExpWithEffectiveOrder()
    {
        // sacrebleu compat sentence_bleu defaults: smooth_method='exp', use_effective_order=True -> 8.493 (test_sentence_bleu.py)
        var s = Bleu.Sentence(Sys98, [Ref98]);
        Assert.True(Math.Abs(s.Score - 8.493) < 1e-3, $"BLEU {s.Score}");
        Assert.Equal("BLEU|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:tunesharp-1", s.Signature);
    }

    [Theory]
    // test_sentence_bleu.py test_api_sentence_bleu_zero (issue #141): no matching n-gram at all -> 0.0 whatever the smoothing
    [InlineData(BleuSmoothing.Exp, null)]
    [InlineData(BleuSmoothing.None, null)]
    [InlineData(BleuSmoothing.Floor, null)]
    [InlineData(BleuSmoothing.Floor, 0.1)]
    [InlineData(BleuSmoothing.AddK, null)]
    [InlineData(BleuSmoothing.AddK, 1.0)]
    public void ZeroMatchesScoreZero(BleuSmoothing smoothing, double? value)
    {
        var s = Bleu.Sentence("this is a cat", ["okay thanks"], new BleuOptions(Smoothing: smoothing, SmoothValue: value, EffectiveOrder: true));
        Assert.Equal(0.0, s.Score);
        Assert.Equal([0.0, 0.0, 0.0, 0.0], s.Precisions);
    }

    [Fact]
    public void SignaturesNameTheSettings()
    {
        // README version signature layout: BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0;
        // floor/add-k carry their value as f'[{value:.2f}]' (sacrebleu/metrics/bleu.py BLEUSignature).
        Assert.Equal("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:tunesharp-1", Bleu.Signature(new BleuOptions()));
        Assert.Equal("BLEU|nrefs:3|case:lc|eff:yes|tok:none|smooth:floor[0.10]|version:tunesharp-1",
            Bleu.Signature(new BleuOptions(Lowercase: true, Tokenizer: BleuTokenizer.None, Smoothing: BleuSmoothing.Floor, EffectiveOrder: true), 3));
        Assert.Equal("BLEU|nrefs:1|case:mixed|eff:no|tok:char|smooth:add-k[2.00]|version:tunesharp-1",
            Bleu.Signature(new BleuOptions(Tokenizer: BleuTokenizer.Char, Smoothing: BleuSmoothing.AddK, SmoothValue: 2)));
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        var e = Assert.Throws<UserError>(() => Bleu.Corpus(["a", "b"], ["a"]));
        Assert.Contains("hypotheses has 2 item(s) but reference stream 0 has 1", e.Message);
        Assert.Throws<UserError>(() => Bleu.Corpus([], Array.Empty<string>()));
        var noRef = Assert.Throws<UserError>(() => Bleu.Corpus(["a"], [""]));
        Assert.Contains("segment 0 has no reference", noRef.Message);
        Assert.Throws<UserError>(() => Bleu.Corpus(["a"], ["a"], new BleuOptions(MaxNgramOrder: 0)));
        Assert.Throws<UserError>(() => Bleu.Sentence("a", []));
    }
}
