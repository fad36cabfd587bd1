using System.Text.Json.Nodes;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Writing;

namespace TuneSharp.Data.Perturb;

/// <summary>Totals of a <see cref="DatasetPerturbation.Run"/>.</summary>
public sealed record PerturbReport(long Records, long Letters, long Typos, long Words, long WordsDropped)
{
    /// <summary>Typos per letter looked at.</summary>
    public double TypoShare => Letters == 0 ? 0 : (double)Typos / Letters;

    /// <summary>Words dropped per word.</summary>
    public double WordDropShare => Words == 0 ? 0 : (double)WordsDropped / Words;
}

/// <summary>
/// <c>tunesharp data perturb</c>: every record of a data file with one text field perturbed
/// (<see cref="TextPerturbation"/>), other fields as they were, written atomically as JSONL. Record i draws from
/// <c>new Random(seed, i)</c>-style streams of its own, so the output depends on the seed and the record alone.
/// </summary>
public static class DatasetPerturbation
{
    /// <summary>Reads <paramref name="input"/>, perturbs <paramref name="field"/> of each record, writes <paramref name="output"/>.</summary>
    public static PerturbReport Run(string input, string output, string field, PerturbOptions o, int seed, DataFormat? format = null)
    {
        if (o.TypoRate is < 0 or > 1 || double.IsNaN(o.TypoRate)) throw new UserError($"--typo-rate: must be in [0, 1], got {o.TypoRate}");
        if (o.WordDrop is < 0 or >= 1 || double.IsNaN(o.WordDrop)) throw new UserError($"--word-drop: must be in [0, 1), got {o.WordDrop}");
        if (!File.Exists(input) && !Directory.Exists(input)) throw new UserError($"--input: {input} not found");
        if (Path.GetFullPath(input) == Path.GetFullPath(output)) throw new UserError($"--output: {output} is the input file; write elsewhere");
        long records = 0, letters = 0, typos = 0, words = 0, dropped = 0;
        using var writer = new AtomicJsonlWriter(output);
        foreach (var record in DataSources.Open(input, format))
        {
            var value = record.Fields[field];
            if (value is not JsonValue v || !v.TryGetValue(out string? text))
                throw new UserError($"{record.File}:{record.Line}: field '{field}' is {(value is null ? "missing" : "not a string")}");
            var rng = new Random(unchecked(seed * 1_000_003 + (int)records));
            var result = TextPerturbation.Apply(text, o, rng);
            var fields = (JsonObject)record.Fields.DeepClone();
            fields[field] = result.Text;
            writer.Write(fields);
            records++; letters += result.Letters; typos += result.Typos; words += result.Words; dropped += result.WordsDropped;
        }
        writer.Commit();
        return new PerturbReport(records, letters, typos, words, dropped);
    }
}
