using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TuneSharp.Cards;

/// <summary>
/// README.md of a fine-tuned model folder: Hugging Face model-card front matter (base_model, library_name, licence,
/// tags, datasets, model-index with the test metrics) and a body that says what the model is, how well it does with
/// intervals, what it was trained on (by digest) and how to check that nothing it depends on has changed.
/// </summary>
public static partial class FineTunedModelCard
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(string modelDir, Lineage l, string baseModelDir) =>
        IO.AtomicFile.WriteAllText(Path.Combine(modelDir, "README.md"), Render(l, BaseCard(baseModelDir)));

    /// <summary>base_model and license from the base folder's own card front matter, when it has them.</summary>
    public static (string? BaseModel, string? License) BaseCard(string baseModelDir)
    {
        var path = Path.Combine(baseModelDir, "README.md");
        if (!File.Exists(path)) return (null, null);
        var text = File.ReadAllText(path);
        var front = FrontMatter().Match(text);
        if (!front.Success) return (null, null);
        string? Key(string key) => Regex.Match(front.Groups[1].Value, $@"(?m)^{key}:\s*(\S.*?)\s*$") is { Success: true } m ? m.Groups[1].Value : null;
        return (Key("base_model"), Key("license"));
    }

    public static string Render(Lineage l, (string? BaseModel, string? License) baseCard)
    {
        // An imported folder names the model it was converted from; a plain folder is named by its path.
        string baseModel = baseCard.BaseModel ?? Path.GetFileName(l.BaseModel.Path.TrimEnd('/'));
        var datasets = l.Data.Select(d => Path.GetFileName(Path.GetDirectoryName(d.Path)) ?? d.Path).Distinct().ToList();
        var test = l.Metrics.Where(m => m.Split == "test").ToList();
        var md = new StringBuilder("---\n");
        md.Append("base_model: ").Append(baseModel).Append('\n');
        md.Append("library_name: tunesharp\n");
        md.Append("license: ").Append(baseCard.License ?? "other").Append('\n');
        md.Append("tags: [tunesharp, ").Append(l.Task).Append(", ").Append(l.Recipe["method"]?["type"]?.ToString() ?? "full").Append("]\n");
        md.Append("datasets: [").Append(string.Join(", ", datasets)).Append("]\n");
        if (test.Count > 0)
        {
            md.Append("model-index:\n- name: ").Append(Path.GetFileName(Path.GetDirectoryName(l.Model.Path.TrimEnd('/'))) ?? "model").Append('\n');
            md.Append("  results:\n  - task: {type: ").Append(l.Task).Append("}\n    dataset: {name: ").Append(datasets.FirstOrDefault() ?? "data").Append(", type: local, split: test}\n    metrics:\n");
            foreach (var m in test) md.Append(string.Create(Inv, $"    - {{type: {m.Name}, value: {m.Value:0.####}}}\n"));
        }
        md.Append("---\n\n");
        md.Append("# ").Append(baseModel).Append(", fine-tuned for ").Append(l.Task).Append("\n\n");
        md.Append(string.Create(Inv, $"Fine-tuned by TuneSharp {l.TuneSharpVersion} with {l.Method}, seed {l.Seed}, on {l.Device}, from {l.Started:yyyy-MM-dd HH:mm} to {l.Finished:HH:mm} UTC. "));
        md.Append("Licence: ").Append(baseCard.License is null ? "not stated by the base model's card; check it before you share this model" : $"{baseCard.License}, the base model's").Append(".\n\n");

        if (l.Metrics.Count > 0)
        {
            md.Append("## Results\n\n| split | metric | value | 95% CI |\n|---|---|---:|---|\n");
            foreach (var m in l.Metrics)
                md.Append(string.Create(Inv, $"| {m.Split} | {m.Name} | {m.Value:0.0000} | {(m.Low is double lo && m.High is double hi ? $"[{lo:0.0000}, {hi:0.0000}]" : "–")} |\n"));
            md.Append("\nIntervals: percentile bootstrap over the split's examples (1,000 resamples).\n\n");
        }
        md.Append("## Training data\n\n| split | file | examples used | SHA-256 |\n|---|---|---:|---|\n");
        foreach (var d in l.Data) md.Append(string.Create(Inv, $"| {d.Split} | `{d.Path}` | {d.Examples:N0} | `{d.Sha256}` |\n"));
        md.Append("\n## Lineage\n\n");
        md.Append("- Base model: `").Append(l.BaseModel.Path).Append("` (").Append(l.BaseModel.Files.ToString(Inv)).Append(" files, SHA-256 `").Append(l.BaseModel.Sha256).Append("`)\n");
        md.Append("- This model: SHA-256 `").Append(l.Model.Sha256).Append("` over its ").Append(l.Model.Files.ToString(Inv)).Append(" files (this card and lineage.json left out)\n");
        md.Append("- Recipe: `").Append(l.RecipeFile).Append("`, resolved in lineage.json\n");
        md.Append("- Software: ").Append(string.Join(", ", l.Libraries.Select(kv => $"{kv.Key} {kv.Value}"))).Append('\n');
        md.Append("\n`tunesharp card verify <this folder>` recomputes every digest and says what changed.\n");
        return md.ToString();
    }

    [GeneratedRegex(@"\A---\r?\n(.*?)\r?\n---", RegexOptions.Singleline)]
    private static partial Regex FrontMatter();
}
