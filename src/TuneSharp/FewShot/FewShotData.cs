using System.Text.Json.Nodes;
using TuneSharp.Data.Readers;
using TuneSharp.IO;
using TuneSharp.Recipes;

namespace TuneSharp.FewShot;

/// <summary>
/// A recipe's training pool and test texts for a few-shot curve: the whole training split (data.limit ignored: the
/// k-shot sampler draws from all of it), the test split or a seeded subset of it (seed 7, the same for every method
/// and run seed), the label set of data.labels (or the training labels in order of appearance).
/// </summary>
public sealed class FewShotData
{
    public required IReadOnlyList<string> Labels { get; init; }
    public required IReadOnlyList<string> TrainTexts { get; init; }
    public required IReadOnlyList<string> TrainLabels { get; init; }
    public required IReadOnlyList<string> TestTexts { get; init; }
    /// <summary>Index into <see cref="Labels"/> of each test text.</summary>
    public required IReadOnlyList<int> TestLabels { get; init; }
    public required string TextField { get; init; }
    public required string LabelField { get; init; }

    /// <summary>The k-shot set of <paramref name="seed"/>: texts, label indices, and classes short of k.</summary>
    public (List<string> Texts, List<int> Labels, IReadOnlyDictionary<string, int> Shortfalls) Shots(int k, long seed)
    {
        var sample = KShotSampler.Sample(TrainLabels, Labels, k, seed);
        var labelIndex = Labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        return (sample.Indices.Select(i => TrainTexts[i]).ToList(), sample.Indices.Select(i => labelIndex[TrainLabels[i]]).ToList(), sample.Shortfalls);
    }

    /// <summary>"k=K: CLASS has N" for every class with fewer than k training examples, at each of <paramref name="ks"/>.</summary>
    public List<string> Shortfalls(IEnumerable<int> ks, long seed) =>
        ks.SelectMany(k => Shots(k, seed).Shortfalls.Select(s => $"k={k}: {s.Key} has {s.Value}")).Distinct().ToList();

    public static FewShotData Load(Recipe recipe, int testLimit)
    {
        var data = recipe.Section("data");
        if (Recipe.Bool(data, "multi_label") == true) throw new UserError($"{recipe.File}: key 'data.multi_label': fewshot needs single-label classification");
        var fields = data["fields"] as JsonObject;
        string textField = fields?["text"]?.GetValue<string>() ?? "text", labelField = fields?["label"]?.GetValue<string>() ?? "label";
        var trainPath = recipe.PathOf(recipe.Get("data", "train")) ?? throw new UserError($"{recipe.File}: key 'data.train' is required");
        var testPath = recipe.PathOf(recipe.Get("data", "test")) ?? throw new UserError($"{recipe.File}: key 'data.test' is required (the curve is scored on it)");
        var train = Read(trainPath, textField, labelField);
        var test = Read(testPath, textField, labelField);
        var labels = recipe.List(data, "labels") is { Count: > 0 } given ? given : train.Select(r => r.Label).Distinct().ToList();
        foreach (var (file, rows) in new[] { (trainPath, train), (testPath, test) })
            if (rows.FirstOrDefault(r => !labels.Contains(r.Label)) is { Text: not null } bad)
                throw new UserError($"{file}:{bad.Line}: label '{bad.Label}' is not in data.labels");
        if (testLimit > 0 && testLimit < test.Count)
        {
            var rng = new Random(7); // the file is often grouped by label: a random subset, the same for every run
            test = test.Select(r => (Key: rng.Next(), Row: r)).OrderBy(x => x.Key).Take(testLimit).Select(x => x.Row).ToList();
        }
        return new FewShotData
        {
            Labels = labels, TrainTexts = train.Select(r => r.Text).ToList(), TrainLabels = train.Select(r => r.Label).ToList(),
            TestTexts = test.Select(r => r.Text).ToList(), TestLabels = test.Select(r => labels.ToList().IndexOf(r.Label)).ToList(),
            TextField = textField, LabelField = labelField,
        };
    }

    static List<(string Text, string Label, long Line)> Read(string path, string textField, string labelField)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: data file not found");
        var rows = new List<(string, string, long)>();
        foreach (var r in DataSources.Open(path))
        {
            if (r.Fields[textField] is not JsonValue t || !t.TryGetValue(out string? text)) throw new UserError($"{r.File}:{r.Line}: field '{textField}' is missing or not a string");
            if (r.Fields[labelField] is not JsonNode l) throw new UserError($"{r.File}:{r.Line}: field '{labelField}' is missing");
            rows.Add((text, l.ToString(), r.Line));
        }
        if (rows.Count == 0) throw new UserError($"{path}: no records");
        return rows;
    }

    /// <summary>Writes rows as JSONL with the recipe's field names (the k-shot file fine-tuning trains on).</summary>
    public static void WriteJsonl(string path, string textField, string labelField, IReadOnlyList<string> texts, IReadOnlyList<string> labels) =>
        AtomicFile.WriteAllText(path, string.Concat(texts.Select((t, i) => new JsonObject { [textField] = t, [labelField] = labels[i] }.ToJsonString() + "\n")));
}
