using TuneSharp.Data.Cleaning;
using TuneSharp.Data.Dedup;
using TuneSharp.Tests.Data.Cleaning;

namespace TuneSharp.Tests.Data.Dedup;

public class DedupTests
{
    /// <summary>A 150-word text from a fixed vocabulary; different seeds give unrelated texts.</summary>
    internal static string Document(int seed, int words = 150)
    {
        string[] vocab =
        [
            "river", "mountain", "engine", "market", "garden", "theory", "signal", "window", "forest", "bridge",
            "number", "letter", "planet", "castle", "winter", "summer", "doctor", "island", "silver", "rocket",
            "paper", "music", "coffee", "valley", "harbor", "circle", "dragon", "school", "motor", "pencil",
            "camera", "butter", "shadow", "lantern", "meadow", "thunder", "canvas", "pepper", "glacier", "violin",
        ];
        var rng = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => vocab[rng.Next(vocab.Length)]));
    }

    internal static string ChangeWords(string text, params int[] positions)
    {
        var w = text.Split(' ');
        foreach (var p in positions) w[p] = "changed" + p;
        return string.Join(' ', w);
    }

    [Fact]
    public void Exact_key_ignores_case_whitespace_and_compatibility_forms()
    {
        Assert.Equal(ExactDuplicateIndex.KeyHash("Hello  World\n"), ExactDuplicateIndex.KeyHash(" hello world"));
        Assert.Equal(ExactDuplicateIndex.KeyHash("ﬁle ①"), ExactDuplicateIndex.KeyHash("FILE 1"));
        Assert.NotEqual(ExactDuplicateIndex.KeyHash("hello world"), ExactDuplicateIndex.KeyHash("hello world!"));
        Assert.Equal(64, ExactDuplicateIndex.KeyHash("x").Length);
    }

    /// <summary>data validate (ContentHash) and data clean (ExactDuplicateIndex) count the same texts as duplicates.</summary>
    [Theory]
    [InlineData("Ｈｅｌｌｏ   World ", "hello world")]
    [InlineData("ﬁle ①", "FILE 1")]
    [InlineData("Cafe\u0301\u00A0au lait", "café au lait")]
    [InlineData("\U00010400 deseret", "\U00010428 DESERET")]
    public void Validate_and_clean_share_one_duplicate_key(string a, string b)
    {
        Assert.Equal(DuplicateKey.Of(a), DuplicateKey.Of(b));
        Assert.Equal(TuneSharp.Data.Validation.ContentHash.Of(a), TuneSharp.Data.Validation.ContentHash.Of(b));
        var index = new ExactDuplicateIndex();
        Assert.True(index.Add(a).IsNew);
        Assert.False(index.Add(b).IsNew);
    }

    [Fact]
    public void Exact_dedup_keeps_the_first_occurrence()
    {
        var removed = new List<string>();
        var kept = new List<long>();
        DataCleaner.Clean(Rows.Texts("Same text.", "other", "SAME   text.", "same text."), r => kept.Add(r.Line),
            (_, reason) => removed.Add(reason), new CleanOptions { ExactDedup = true });
        Assert.Equal([1L, 2L], kept);
        Assert.Equal(["exact_duplicate: of in.jsonl:1", "exact_duplicate: of in.jsonl:1"], removed);
    }

    [Fact]
    public void Lsh_parameters_for_threshold_08_put_the_s_curve_near_the_threshold()
    {
        var p = LshParameters.ForThreshold(0.8, 128);
        Assert.True(p.Bands * p.Rows <= 128);
        Assert.Equal(new LshParameters(14, 9), p);
        Assert.True(p.CandidateProbability(0.85) > 0.95, $"{p}: P(candidate | 0.85) = {p.CandidateProbability(0.85)}");
        Assert.True(p.CandidateProbability(0.5) < 0.05, $"{p}: P(candidate | 0.5) = {p.CandidateProbability(0.5)}");
    }

    [Fact]
    public void Minhash_estimates_jaccard_of_shingle_sets()
    {
        var a = Document(1, 400);
        var b = ChangeWords(a, 10, 60, 110, 160, 210, 260, 310, 360);
        var sa = Shingler.Shingle(a, ShingleKind.Word, 3);
        var sb = Shingler.Shingle(b, ShingleKind.Word, 3);
        double exact = (double)sa.Intersect(sb).Count() / sa.Union(sb).Count();
        var hasher = new MinHasher(256, 7);
        double estimate = MinHasher.EstimateJaccard(hasher.Signature(sa), hasher.Signature(sb));
        Assert.InRange(estimate, exact - 0.08, exact + 0.08);
    }

    [Theory]
    [InlineData(ShingleKind.Word, 3)]
    [InlineData(ShingleKind.Character, 5)]
    public void Texts_differing_by_a_few_words_are_near_duplicates_and_unrelated_texts_are_not(ShingleKind kind, int size)
    {
        var original = Document(11);
        var texts = new[] { original, ChangeWords(original, 20, 75, 130), Document(12), Document(13), ChangeWords(Document(12), 5) };
        var options = new CleanOptions { NearDedup = new NearDuplicateOptions { Threshold = 0.8, Shingles = kind, ShingleSize = size } };
        var kept = new List<long>();
        var removed = new List<(long, string)>();
        DataCleaner.Clean(Rows.Texts(texts), r => kept.Add(r.Line), (r, reason) => removed.Add((r.Line, reason)), options);
        Assert.Equal([1L, 3L, 4L], kept);
        Assert.Equal([2L, 5L], removed.Select(r => r.Item1));
        Assert.StartsWith("near_duplicate: of in.jsonl:1 (jaccard 0.", removed[0].Item2);
        Assert.StartsWith("near_duplicate: of in.jsonl:3", removed[1].Item2);
    }

    [Fact]
    public void Near_dedup_is_deterministic_for_a_seed()
    {
        var options = new NearDuplicateOptions { Threshold = 0.5, Seed = 99 };
        var texts = Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? ChangeWords(Document(i / 3), 7, 50, 90, 120) : Document(i)).ToList();
        List<int> Run(NearDuplicateOptions o)
        {
            var index = new NearDuplicateIndex(o);
            return [.. texts.Select((t, i) => index.AddOrMatch(t, i) == null ? -1 : i).Where(i => i >= 0)];
        }
        var first = Run(options);
        Assert.Equal(first, Run(options));
        Assert.NotEmpty(first);
        var h1 = new MinHasher(64, 5).Signature(Shingler.Shingle(texts[0], ShingleKind.Word, 3));
        Assert.Equal(h1, new MinHasher(64, 5).Signature(Shingler.Shingle(texts[0], ShingleKind.Word, 3)));
        Assert.NotEqual(h1, new MinHasher(64, 6).Signature(Shingler.Shingle(texts[0], ShingleKind.Word, 3)));
    }
}
