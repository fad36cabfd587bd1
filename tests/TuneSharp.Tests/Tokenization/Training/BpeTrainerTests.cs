using TuneSharp.Tokenization.Training;

namespace TuneSharp.Tests.Tokenization.Training;

/// <summary>The merges BpeTrainer learns: hand-computed cases, HF parity, limits and determinism.</summary>
public class BpeTrainerTests
{
    static TrainedBpe Train(IEnumerable<string> texts, long minFrequency = 0, int vocabSize = 1000)
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions
        {
            VocabSize = vocabSize, MinFrequency = minFrequency, SpecialTokens = [], FullByteAlphabet = false,
        });
        trainer.Feed(texts);
        return trainer.Train();
    }

    [Fact]
    public void Learns_the_hand_computed_merges_of_aaabdaaabac()
    {
        // One word; alphabet a=0 b=1 c=2 d=3. Pair counts: aa 4, ab 2, the rest 1.
        // 1. (a,a) -> "aa"=4: a a a b d a a a b a c becomes aa a b d aa a b a c; now (a,b)=2 and (aa,a)=2 tie,
        // 2. the smaller ids (0,1) win: (a,b) -> "ab"=5, giving aa ab d aa ab a c with (aa,ab)=2,
        // 3. (aa,ab) -> "aaab"=6: aaab d aaab a c, every pair left once: (a,c)=(0,2) has the smallest ids.
        var model = Train(["aaabdaaabac"]);
        Assert.Equal([("a", "a"), ("a", "b"), ("aa", "ab"), ("a", "c")], model.Merges.Take(4));
        Assert.Equal(["a", "b", "c", "d", "aa", "ab", "aaab", "ac"], model.Vocab.Take(8));
    }

    [Fact]
    public void Ties_go_to_the_pair_of_smaller_ids_not_the_smaller_strings()
    {
        // (a,a)=3 merges first; then (aa,c)=2 with ids (3,2) and (b,c)=2 with ids (1,2) tie: HF takes (b,c),
        // although "aa" sorts before "b" as a string.
        var model = Train(["aac", "aac", "aa", "bc", "bc"]);
        Assert.Equal([("a", "a"), ("b", "c"), ("aa", "c")], model.Merges);
    }

    [Fact]
    public void Min_frequency_stops_at_the_first_pair_seen_too_rarely()
    {
        Assert.Equal([("a", "a"), ("a", "b"), ("aa", "ab")], Train(["aaabdaaabac"], minFrequency: 2).Merges);
        Assert.Equal([("a", "a")], Train(["aaabdaaabac"], minFrequency: 3).Merges);
        Assert.Empty(Train(["aaabdaaabac"], minFrequency: 5).Merges);
    }

    [Fact]
    public void Each_text_is_split_on_its_own_and_words_are_counted_across_texts()
    {
        // " b" is one word (space included: Ġb) seen twice; the texts never join into "a a".
        var model = Train(["a b", "a b"], minFrequency: 2);
        Assert.Equal([("Ġ", "b")], model.Merges);
    }

    [Fact]
    public void Matches_HF_tokenizers_merges_on_the_parity_corpus()
    {
        // parity-hf-merges.txt: tokenizers 0.23.2 (Rust, through its npm binding) trained on parity-corpus.txt with
        // the default BpeTrainer (no special tokens, alphabet of the text, min_frequency 0, vocab_size 30000)
        // and ByteLevel(add_prefix_space=false): 3829 merges down to pairs seen once, where ties are everywhere.
        var expected = File.ReadAllLines(Path.Combine(TrainingCorpus.DataDir, "parity-hf-merges.txt"))
            .Select(l => (l[..l.IndexOf(' ', StringComparison.Ordinal)], l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]))
            .ToArray();
        var model = Train(TrainingCorpus.Lines(), vocabSize: 30000);
        Assert.Equal(3829, expected.Length);
        Assert.Equal(expected, model.Merges);
        Assert.Equal(3987, model.Vocab.Count);
    }

    [Fact]
    public void Special_tokens_then_the_256_bytes_take_the_first_ids_as_in_the_HF_fixture()
    {
        var fixture = TokenizerTestFiles.ReadJson(TokenizerTestFiles.ByteLevelDir)["model"]!["vocab"]!.AsObject()
            .OrderBy(kv => kv.Value!.GetValue<int>()).Select(kv => kv.Key).Take(260).ToArray();
        Assert.Equal(fixture, TrainingCorpus.Model.Vocab.Take(260));
        Assert.Equal(BpeTrainerOptions.ChatSpecialTokens, TrainingCorpus.Model.SpecialTokens);
    }

    [Fact]
    public void Stops_at_exactly_the_vocab_size()
    {
        Assert.Equal(TrainingCorpus.VocabSize, TrainingCorpus.Model.Vocab.Count);
        Assert.Equal(TrainingCorpus.VocabSize - 260, TrainingCorpus.Model.Merges.Count);
        Assert.Equal(261, TrainingCorpus.Train(261).Vocab.Count);
    }

    [Fact]
    public void Training_twice_gives_the_same_model()
    {
        var again = TrainingCorpus.Train(TrainingCorpus.VocabSize);
        Assert.Equal(TrainingCorpus.Model.Vocab, again.Vocab);
        Assert.Equal(TrainingCorpus.Model.Merges, again.Merges);
    }

    [Fact]
    public void Rejects_a_vocab_size_without_room_for_merges_and_a_negative_min_frequency()
    {
        var e = Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerOptions { VocabSize = 259 }));
        Assert.Contains("260", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerOptions { VocabSize = 300, MinFrequency = -1 }));
        Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerOptions { VocabSize = 300, SpecialTokens = [""] }));
    }

    [Fact]
    public void Counts_characters_texts_and_distinct_words()
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300 });
        trainer.Feed(["hello world", "hello"]);
        Assert.Equal(16, trainer.CharsProcessed);
        Assert.Equal(2, trainer.TextsProcessed);
        Assert.Equal(2, trainer.DistinctWords); // "hello", "Ġworld"
    }
}
