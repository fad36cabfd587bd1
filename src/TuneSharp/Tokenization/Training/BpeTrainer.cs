namespace TuneSharp.Tokenization.Training;

/// <summary>
/// Trains a byte-level BPE tokenizer as Hugging Face <c>tokenizers</c>' <c>BpeTrainer</c> does, with the
/// pre-tokenization of <see cref="HfTokenizer"/>'s ByteLevel pre-tokenizer: feed it texts (only word counts are
/// kept), then <see cref="Train"/> learns merges, most frequent pair first, ties going to the pair of smaller ids.
/// The same texts in the same order give the same result. Not thread-safe.
/// </summary>
public sealed class BpeTrainer
{
    readonly BpeTrainerOptions options;
    readonly WordCounter counter = new();

    /// <summary>Creates a trainer; invalid options are an <see cref="ArgumentException"/>.</summary>
    public BpeTrainer(BpeTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinFrequency < 0) throw new ArgumentException("MinFrequency must not be negative", nameof(options));
        if (options.SpecialTokens.Any(string.IsNullOrEmpty)) throw new ArgumentException("special tokens must not be empty", nameof(options));
        if (options.VocabSize < options.MinimumVocabSize)
            throw new ArgumentException(
                $"VocabSize {options.VocabSize} leaves no room for merges: the special tokens and 256 bytes take {options.MinimumVocabSize}",
                nameof(options));
        this.options = options;
    }

    /// <summary>Characters (UTF-16 units) fed so far.</summary>
    public long CharsProcessed { get; private set; }

    /// <summary>Texts fed so far.</summary>
    public long TextsProcessed { get; private set; }

    /// <summary>Distinct pre-tokenized words seen so far.</summary>
    public int DistinctWords => counter.Counts.Count;

    /// <summary>
    /// Counts the words of one text. Each text is pre-tokenized on its own, as HF does with each item of
    /// <c>train_from_iterator</c>, so feed documents (or lines), not arbitrary slices of one.
    /// </summary>
    public void Feed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        counter.Add(text);
        CharsProcessed += text.Length;
        TextsProcessed++;
    }

    /// <summary>Feeds every text of a sequence, in order.</summary>
    public void Feed(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        foreach (var text in texts) Feed(text);
    }

    /// <summary>Learns the merges from the words fed so far. May be called again after more feeding.</summary>
    public TrainedBpe Train()
    {
        var vocab = new Vocabulary();
        var specials = new List<string>();
        foreach (var token in options.SpecialTokens)
            if (vocab.TryAdd(token)) specials.Add(token);
        AddAlphabet(vocab);
        var merges = MergeLearner.Learn(vocab, counter.Counts, options.VocabSize, options.MinFrequency);
        return new TrainedBpe(vocab.Tokens.ToArray(), merges.Select(m => (vocab.Tokens[m.Left], vocab.Tokens[m.Right])).ToArray(),
            specials);
    }

    /// <summary>The byte symbols (all 256, or those seen), sorted by code point as HF sorts its alphabet.</summary>
    void AddAlphabet(Vocabulary vocab)
    {
        var alphabet = new SortedSet<char>();
        if (options.FullByteAlphabet) alphabet.UnionWith(ByteLevelAlphabet.ByteToChar);
        foreach (var word in counter.Counts.Keys) alphabet.UnionWith(word);
        foreach (var c in alphabet) vocab.TryAdd(c.ToString());
    }

    /// <summary>The key of the pair (a, b): ordering keys orders pairs by a, then b, as HF's tie-break does.</summary>
    internal static long PairKey(int a, int b) => ((long)a << 32) | (uint)b;
}
