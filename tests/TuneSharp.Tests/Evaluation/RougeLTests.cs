using TuneSharp.Evaluation;

namespace TuneSharp.Tests.Evaluation;

public class RougeLTests
{
    [Theory]
    // rouge_score/rouge_scorer_test.py testRougeLConsecutive: score("testing one two", "testing one") -> P 1, R 2/3, F 4/5
    [InlineData("testing one", 1.0, 2.0 / 3, 4.0 / 5)]
    // testRougeLNonConsecutive: score("testing one two", "testing two") -> P 1, R 2/3, F 4/5
    [InlineData("testing two", 1.0, 2.0 / 3, 4.0 / 5)]
    // testRougeEmpty: score("testing one two", "") -> 0, 0, 0
    [InlineData("", 0.0, 0.0, 0.0)]
    public void MatchesRougeScorerTests(string prediction, double p, double r, double f)
    {
        var s = RougeL.Sentence(prediction, "testing one two");
        Assert.Equal(p, s.Precision, 12);
        Assert.Equal(r, s.Recall, 12);
        Assert.Equal(f, s.FMeasure, 12);
    }

    // rouge/testdata/target.txt and prediction.txt (google-research), lines 1 and 2.
    const string Target0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n";
    const string Target1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n";
    const string Prediction0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n";
    const string Prediction1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n";

    [Fact]
    public void MatchesRouge155GroundTruth()
    {
        // rouge_scorer_test.py testRougeLAgainstRouge155 (ROUGE-1.5.5 runs, 5 places):
        // line 0: R 0.40741, P 0.68750, F 0.51163; line 1: R 0.40476, P 0.65385, F 0.50000
        var s0 = RougeL.Sentence(Prediction0, Target0);
        Assert.Equal(0.40741, s0.Recall, 5);
        Assert.Equal(0.68750, s0.Precision, 5);
        Assert.Equal(0.51163, s0.FMeasure, 5);
        var s1 = RougeL.Sentence(Prediction1, Target1);
        Assert.Equal(0.40476, s1.Recall, 5);
        Assert.Equal(0.65385, s1.Precision, 5);
        Assert.Equal(0.50000, s1.FMeasure, 5);
    }

    [Fact]
    public void CorpusIsTheMeanOfSentenceScores()
    {
        var result = RougeL.Corpus([Prediction0, Prediction1], [Target0, Target1]);
        Assert.Equal((0.68750 + 0.65385) / 2, result.Mean.Precision, 4);
        Assert.Equal((0.51163 + 0.50000) / 2, result.Mean.FMeasure, 4);
        Assert.Equal(2, result.PerSample.Count);
        Assert.Contains("stemmer:no", result.Settings);
    }

    [Fact]
    public void MultipleReferencesTakeTheBestF()
    {
        // rouge-score score_multi: the target with the highest F-measure is used.
        var best = RougeL.Sentence("testing one", ["completely different", "testing one two"]);
        Assert.Equal(4.0 / 5, best.FMeasure, 12);
    }

    [Fact]
    public void TokenizerFollowsRougeScoreRules()
    {
        // rouge/tokenize.py: lowercase, replace [^a-z0-9]+ by a space, keep ^[a-z0-9]+$ tokens;
        // so non-ASCII letters split words (traced from the rule, not a published case).
        Assert.Equal(["hello", "world", "42"], RougeL.Tokenize("Hello, WORLD! 42"));
        Assert.Equal(["caf", "na", "ve"], RougeL.Tokenize("café naïve"));
        Assert.Empty(RougeL.Tokenize("/"));
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        Assert.Throws<UserError>(() => RougeL.Corpus(["a", "b"], ["a"]));
        Assert.Throws<UserError>(() => RougeL.Corpus(Array.Empty<string>(), Array.Empty<string>()));
        Assert.Throws<UserError>(() => RougeL.Sentence("a", Array.Empty<string>()));
    }
}
