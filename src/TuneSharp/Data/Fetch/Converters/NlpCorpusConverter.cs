using System.Text.Json.Nodes;

namespace TuneSharp.Data.Fetch.Converters;

/// <summary>
/// nlp-corpus: builds/doc-0.json .. doc-99.json, each a JSON array of strings (sentences and short texts).
/// Writes <c>{text, source}</c> (source = "doc-N"), split 80/10/10 by record.
/// </summary>
public sealed class NlpCorpusConverter : IDatasetConverter
{
    /// <inheritdoc/>
    public IReadOnlyList<WrittenFile> Convert(string packageDir, string outDir, ConvertOptions options)
    {
        var builds = Path.Combine(packageDir, "builds");
        if (!Directory.Exists(builds)) throw new UserError($"{builds}: not found; is this nlp-corpus?");
        // Numeric order (doc-2 before doc-10), so the record order and hence the splits are stable.
        var files = Directory.GetFiles(builds, "doc-*.json")
            .OrderBy(f => int.TryParse(Path.GetFileNameWithoutExtension(f)["doc-".Length..], out var n) ? n : int.MaxValue)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new UserError($"{builds}: no doc-N.json files");
        var records = new List<DataRecord>();
        foreach (var file in files)
        {
            var source = Path.GetFileNameWithoutExtension(file);
            if (JsonNode.Parse(File.ReadAllText(file)) is not JsonArray texts) throw new UserError($"{file}: expected a JSON array of strings");
            for (int i = 0; i < texts.Count; i++)
            {
                if (texts[i] is not JsonValue v || !v.TryGetValue<string>(out var text))
                    throw new UserError($"{file}: [{i}]: expected a string");
                if (string.IsNullOrWhiteSpace(text)) continue; // nothing to learn; counted out in DATASETS.md
                records.Add(new DataRecord(file, i + 1, new JsonObject { ["text"] = text, ["source"] = source }));
            }
        }
        records = ConvertedSplits.Sample(records, options.Sample, options.Seed);
        return ConvertedSplits.SplitAndWrite(records, outDir, options.Seed);
    }
}
