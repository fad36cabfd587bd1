using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.IO;
using TuneSharp.Recipes;

namespace TuneSharp.FewShot;

/// <summary>
/// One curve from several <c>fewshot</c> output folders (e.g. the embedding methods, fine-tuning and prompting run as
/// separate jobs): their runs.jsonl are joined and the table, curve.json and plot written again, without training.
/// The folders must have scored the same test texts (same recipe and --test-limit).
/// </summary>
public static class FewShotMerge
{
    public static IReadOnlyList<FewShotRun> Run(Recipe recipe, int testLimit, IReadOnlyList<string> dirs, string outDir)
    {
        if (dirs.Count == 0) throw new UserError("--merge: give at least one fewshot output folder");
        var data = FewShotData.Load(recipe, testLimit);
        var runs = new List<FewShotRun>();
        foreach (var dir in dirs)
        {
            var dirRuns = Read(Path.Combine(dir, FewShotReport.RunsFile));
            var curve = Path.Combine(dir, FewShotReport.JsonFile);
            if (File.Exists(curve) && JsonFile.ReadObject(curve)["test_examples"] is JsonValue v && v.TryGetValue(out int scored) && scored != data.TestTexts.Count)
                throw new UserError($"{curve}: key 'test_examples': scored on {scored} test texts; this recipe with --test-limit {testLimit} gives {data.TestTexts.Count}");
            runs.AddRange(dirRuns);
        }
        var ks = runs.Select(r => r.K).Where(k => k > 0).Distinct().Order().ToList();
        var seeds = runs.Where(r => r.K > 0).Select(r => r.Seed).Distinct().Order().ToList();
        var methods = runs.Select(r => r.Method).Distinct().ToList();
        var options = new FewShotOptions(methods, ks, seeds, testLimit);
        var shortfalls = seeds.Count == 0 ? [] : data.Shortfalls(ks, seeds[0]);
        Directory.CreateDirectory(outDir);
        FewShotReport.Write(outDir, recipe, options, data, runs, shortfalls);
        return runs;
    }

    /// <summary>The runs of a runs.jsonl file; a bad line is one error naming the file and line.</summary>
    public static List<FewShotRun> Read(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: not found (a fewshot --output folder holds runs.jsonl)");
        var runs = new List<FewShotRun>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var o = JsonNode.Parse(line)?.AsObject() ?? throw new FormatException("not a JSON object");
                runs.Add(new FewShotRun(
                    (string?)o["method"] ?? throw new FormatException("key 'method' is missing"),
                    (int?)o["k"] ?? throw new FormatException("key 'k' is missing"),
                    (long?)o["seed"] ?? 0, (int?)o["train_examples"] ?? 0,
                    (double?)o["accuracy"] ?? throw new FormatException("key 'accuracy' is missing"),
                    (double?)o["macro_f1"] ?? throw new FormatException("key 'macro_f1' is missing"),
                    (double?)o["seconds"] ?? 0, (string?)o["note"]));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new UserError($"{path}:{number}: {e.Message.Split('\n')[0]}");
            }
        }
        return runs;
    }
}
