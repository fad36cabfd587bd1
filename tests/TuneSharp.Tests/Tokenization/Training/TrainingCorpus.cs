using System.Text.RegularExpressions;
using TuneSharp.Tokenization;
using TuneSharp.Tokenization.Training;

namespace TuneSharp.Tests.Tokenization.Training;

/// <summary>
/// The training tests' corpus (parity-corpus.txt: ~25 KB of e-mails plus accented, CJK, emoji, CRLF and code lines),
/// a tokenizer trained on it once, and a plain reference BPE encoder.
/// </summary>
internal static class TrainingCorpus
{
    public static string DataDir => Path.Combine(Fixtures.RepoRoot, "tests", "TuneSharp.Tests", "Tokenization", "Training", "Data");

    public static string Text { get; } = File.ReadAllText(Path.Combine(DataDir, "parity-corpus.txt"));

    /// <summary>The corpus as HF's file training reads it: one sequence per line, line endings kept.</summary>
    public static IEnumerable<string> Lines()
    {
        int start = 0;
        while (start < Text.Length)
        {
            int nl = Text.IndexOf('\n', start);
            int end = nl < 0 ? Text.Length : nl + 1;
            yield return Text[start..end];
            start = end;
        }
    }

    public const int VocabSize = 700;

    /// <summary>A 700-token tokenizer trained on the corpus with the default special tokens.</summary>
    public static TrainedBpe Model { get; } = Train(VocabSize);

    static readonly Lazy<string> dir = new(() =>
    {
        var d = TokenizerTestFiles.TempDir();
        TokenizerFilesWriter.Write(Model, d);
        return d;
    });

    /// <summary>A folder holding <see cref="Model"/> written as tokenizer files.</summary>
    public static string Dir => dir.Value;

    public static TrainedBpe Train(int vocabSize, long minFrequency = 2)
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions { VocabSize = vocabSize, MinFrequency = minFrequency });
        trainer.Feed(Lines());
        return trainer.Train();
    }

    static readonly Regex Gpt2 = new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+");

    /// <summary>
    /// Textbook GPT-2 BPE, independent of HfTokenizer's model: split with the GPT-2 regex, write each word's
    /// bytes as byte-level characters, then keep merging every occurrence of the best-ranked adjacent pair.
    /// </summary>
    public static int[] ReferenceEncode(TrainedBpe model, string text)
    {
        var ranks = new Dictionary<(string, string), int>();
        for (int r = 0; r < model.Merges.Count; r++) ranks.TryAdd(model.Merges[r], r);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < model.Vocab.Count; i++) ids[model.Vocab[i]] = i;
        var result = new List<int>();
        foreach (Match m in Gpt2.Matches(text))
        {
            var symbols = System.Text.Encoding.UTF8.GetBytes(m.Value).Select(b => ByteLevelAlphabet.ByteToChar[b].ToString()).ToList();
            while (true)
            {
                int best = int.MaxValue;
                for (int i = 0; i + 1 < symbols.Count; i++)
                    if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < best) best = r;
                if (best == int.MaxValue) break;
                var (a, b) = model.Merges[best];
                var next = new List<string>();
                for (int i = 0; i < symbols.Count; i++)
                {
                    if (i + 1 < symbols.Count && symbols[i] == a && symbols[i + 1] == b) { next.Add(a + b); i++; }
                    else next.Add(symbols[i]);
                }
                symbols = next;
            }
            result.AddRange(symbols.Select(s => ids[s]));
        }
        return result.ToArray();
    }
}
