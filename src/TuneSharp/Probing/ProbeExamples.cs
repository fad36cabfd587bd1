using TuneSharp.Data.Readers;
using TuneSharp.Tasks;

namespace TuneSharp.Probing;

/// <summary>One split's sentences for the token-level probe: words and their part-of-speech tags, one per word.</summary>
public sealed record TaggedSentences(IReadOnlyList<IReadOnlyList<string>> Words, IReadOnlyList<IReadOnlyList<string>> Tags)
{
    /// <summary>Words in all sentences.</summary>
    public int WordCount => Words.Sum(w => w.Count);
}

/// <summary>One split's texts for the sequence-level probe and their labels.</summary>
public sealed record LabelledTexts(IReadOnlyList<string> Texts, IReadOnlyList<string> Labels);

/// <summary>
/// The probe examples from a Brown folder as <c>tunesharp data fetch brown</c> writes it: <c>pos/</c> sentences
/// {tokens, tags} and <c>genre-passages/</c> {text, label}, each with train/validation/test files that share one
/// document-level split. Each split is cut to a seeded random sample, so a default run fits in minutes on a CPU.
/// </summary>
public static class ProbeExamples
{
    /// <summary>The split files, in the order train, validation, test.</summary>
    public static readonly string[] SplitNames = ["train", "validation", "test"];

    /// <summary>
    /// Sentences of <c>DIR/pos/SPLIT.jsonl</c> in a seeded random order, whole sentences until at least
    /// <paramref name="maxWords"/> words; tags reduced to their part of speech (<see cref="BrownTags"/>).
    /// </summary>
    public static TaggedSentences Sentences(string brownDir, string split, int maxWords, int seed)
    {
        var records = Shuffled(File(brownDir, ProbeTasks.Pos, split), seed);
        var words = new List<IReadOnlyList<string>>();
        var tags = new List<IReadOnlyList<string>>();
        int count = 0;
        foreach (var r in records)
        {
            if (count >= maxWords) break;
            var w = RecordFields.Strings(r, "tokens");
            var t = RecordFields.Strings(r, "tags");
            if (w.Count != t.Count) throw new UserError($"{RecordFields.Where(r, "tags")}: {t.Count} tag(s) for {w.Count} word(s)");
            if (w.Count == 0) continue;
            if (w.FirstOrDefault(x => x.Length == 0 || x.Any(char.IsWhiteSpace)) is string bad)
                throw new UserError($"{RecordFields.Where(r, "tokens")}: a word must be non-empty and contain no whitespace, got '{bad}'");
            words.Add(w);
            tags.Add(t.Select(BrownTags.PartOfSpeech).ToList());
            count += w.Count;
        }
        return new TaggedSentences(words, tags);
    }

    /// <summary>A seeded random <paramref name="max"/> of the passages in <c>DIR/genre-passages/SPLIT.jsonl</c>.</summary>
    public static LabelledTexts Passages(string brownDir, string split, int max, int seed)
    {
        var records = Shuffled(File(brownDir, ProbeTasks.Genre, split), seed).Take(max).ToList();
        return new LabelledTexts(records.Select(r => RecordFields.String(r, "text")).ToList(), records.Select(r => RecordFields.String(r, "label")).ToList());
    }

    /// <summary>
    /// The file of <paramref name="task"/>'s <paramref name="split"/> under <paramref name="brownDir"/>; a missing folder or file
    /// is a <see cref="UserError"/> naming it (checked for every file before the model loads).
    /// </summary>
    public static string File(string brownDir, string task, string split)
    {
        if (!Directory.Exists(brownDir)) throw new UserError($"{brownDir}: Brown folder not found (write it with `tunesharp data fetch brown --out {brownDir}`)");
        var path = Path.Combine(brownDir, task == ProbeTasks.Pos ? "pos" : "genre-passages", split + ".jsonl");
        if (!System.IO.File.Exists(path)) throw new UserError($"{path}: not found; --data must be a folder written by `tunesharp data fetch brown`");
        return path;
    }

    static List<Data.DataRecord> Shuffled(string path, int seed)
    {
        var all = DataSources.Open(path).ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return all;
    }
}
