using TuneSharp.Evaluation;
using TuneSharp.Text;

namespace TuneSharp.Tests.Evaluation;

public class ChrfTests
{
    // sacrebleu test/test_chrf.py: EPSILON = 1e-4
    const double Eps = 1e-4;

    static void Near(double expected, double actual) => Assert.True(Math.Abs(expected - actual) < Eps, $"chrF {actual}, expected {expected}");

    public static TheoryData<string, string, double> EpsSmoothingCases => new()
    {
        // test_chrf.py test_cases: corpus_chrf(..., char_order=6, word_order=0, beta=3, eps_smoothing=True)
        { "abcdefg", "hijklmnop", 0.0 },
        { "a", "b", 0.0 },
        { "", "b", 0.0 },
        { "", "ref", 0.0 },
        { "", "reference", 0.0 },
        { "aa", "ab", 8.3333 },
        { "a", "a", 16.6667 },
        { "a b c", "a b c", 50.0 },
        { "a b c", "abc", 50.0 },
        { " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
          "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 63.361730 },
        { " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ",
          "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 64.1302698 },
        { "Niemand hat die Absicht, eine Mauer zu errichten", "Niemand hat die Absicht, eine Mauer zu errichten", 100.0 },
    };

    [Theory]
    [MemberData(nameof(EpsSmoothingCases))]
    public void EpsilonSmoothing(string hyp, string reference, double expected)
        => Near(expected, Chrf.Corpus([hyp], [reference], new ChrfOptions(Beta: 3, EpsSmoothing: true)).Score);

    [Fact]
    public void EpsilonSmoothingTwoSegments()
        // test_chrf.py test_cases: (["a", "b"], ["a", "c"], 8.3333)
        => Near(8.3333, Chrf.Corpus(["a", "b"], ["a", "c"], new ChrfOptions(Beta: 3, EpsSmoothing: true)).Score);

    [Theory]
    // test_chrf.py test_cases_effective_order: beta=3, eps_smoothing=False (sacreBLEU's default averaging)
    [InlineData("a", "a", 100.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("a b c", "a b c", 100.0)]
    [InlineData("a b c", "abc", 100.0)]
    [InlineData("", "c", 0.0)]
    [InlineData("aa", "ab", 25.0)]
    public void EffectiveOrder(string hyp, string reference, double expected)
        => Near(expected, Chrf.Corpus([hyp], [reference], new ChrfOptions(Beta: 3)).Score);

    [Fact]
    public void EffectiveOrderTwoSegments()
        // test_chrf.py test_cases_effective_order: (["a", "b"], ["a", "c"], 50.0)
        => Near(50.0, Chrf.Corpus(["a", "b"], ["a", "c"], new ChrfOptions(Beta: 3)).Score);

    [Fact]
    public void EmptyHypothesisScoresZeroWithDefaultSettings()
    {
        // test_chrf.py: ([""], ["reference"]) -> 0.0 in both smoothing modes; here with the chrF2 defaults.
        Assert.Equal(0.0, Chrf.Corpus([""], ["reference"]).Score);
        Assert.Equal(0.0, Chrf.Sentence("", ["reference"]).Score);
    }

    [Theory]
    // test_chrf.py test_cases_keep_whitespace: beta=3, remove_whitespace=False
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427)]
    public void KeepWhitespace(string hyp, string reference, double expected)
        => Near(expected, Chrf.Corpus([hyp], [reference], new ChrfOptions(Beta: 3, Whitespace: true)).Score);

    [Theory]
    // test_chrf.py test_chrf_sentence_level: sentence_chrf(hyp, refs, eps_smoothing=True) (beta 2)
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void SentenceLevel(string hyp, string reference, double expected)
        => Near(expected, Chrf.Sentence(hyp, [reference], new ChrfOptions(EpsSmoothing: true)).Score);

    [Fact]
    public void MultiReferenceReadmeExample()
    {
        // sacreBLEU README: CHRF().corpus_score(sys, refs) -> chrF2 = 59.73 (two reference streams)
        IReadOnlyList<IReadOnlyList<string>> refs =
        [
            ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
            ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
        ];
        var s = Chrf.Corpus(["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."], refs);
        Assert.Equal("59.73", PyText.Fixed(s.Score, 2));
        Assert.Equal("chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:tunesharp-1", s.Signature);
    }

    // Hugging Face datasets/evaluate metrics/chrf/chrf.py docstring (a wrapper around sacreBLEU's CHRF).
    static readonly string[] HfPred =
        ["The relationship between cats and dogs is not exactly friendly.", "a good bookshop is just a genteel black hole that knows how to read."];
    static readonly string[] HfRef =
        ["The relationship between dogs and cats is not exactly friendly.", "A good bookshop is just a genteel Black Hole that knows how to read."];

    [Fact]
    public void ChrfAndChrfPlusPlusMatchHuggingFaceExamples()
    {
        // Example 1: {'score': 84.64214891738334, 'char_order': 6, 'word_order': 0, 'beta': 2}
        Assert.Equal(84.64214891738334, Chrf.Corpus(HfPred, HfRef).Score, 10);
        // Example 2, word_order=2: {'score': 82.87263732906315, ...}
        var plus = Chrf.Corpus(HfPred, HfRef, ChrfOptions.ChrfPlusPlus);
        Assert.Equal(82.87263732906315, plus.Score, 10);
        Assert.Equal("chrF2++", plus.Name);
        // Example 3, word_order=2, lowercase=True: {'score': 92.12853119829202, ...}
        Assert.Equal(92.12853119829202, Chrf.Corpus(HfPred, HfRef, new ChrfOptions(WordOrder: 2, Lowercase: true)).Score, 10);
    }

    [Fact]
    public void SignaturesNameTheSettings()
    {
        // README: chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.0.0 and
        //         chrF2++|nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.0.0, short form chrF2|#:1|c:mixed|e:yes|nc:6|nw:0|s:no|v:2.0.0
        Assert.Equal("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:tunesharp-1", Chrf.Signature(new ChrfOptions()));
        Assert.Equal("chrF2++|nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:tunesharp-1", Chrf.Signature(ChrfOptions.ChrfPlusPlus));
        Assert.Equal("chrF2|#:1|c:mixed|e:yes|nc:6|nw:0|s:no|v:tunesharp-1", Chrf.Corpus(["a"], ["a"]).ShortSignature);
        // eps smoothing turns eff off (chrf.py CHRFSignature: 'eff': 'yes' if not eps_smoothing else 'no')
        Assert.Equal("chrF3|nrefs:1|case:lc|eff:no|nc:6|nw:0|space:yes|version:tunesharp-1",
            Chrf.Signature(new ChrfOptions(Beta: 3, Lowercase: true, Whitespace: true, EpsSmoothing: true)));
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        Assert.Throws<UserError>(() => Chrf.Corpus(["a", "b"], ["a"]));
        Assert.Throws<UserError>(() => Chrf.Corpus([], Array.Empty<string>()));
        Assert.Throws<UserError>(() => Chrf.Corpus(["a"], ["a"], new ChrfOptions(CharOrder: 0)));
        Assert.Throws<UserError>(() => Chrf.Sentence("a", [""]));
    }
}
