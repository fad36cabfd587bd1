using System.Text.Json.Nodes;
using TuneSharp.Evaluation.Privacy;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Recipes;
using TuneSharp.Tokenization;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>What <c>tunesharp audit memorization</c> inserts and measures.</summary>
public sealed record MemorizationOptions
{
    public required string Recipe { get; init; }
    public IReadOnlyList<string> Overrides { get; init; } = [];
    /// <summary>How often each canary appears in the training data.</summary>
    public IReadOnlyList<int> Repetitions { get; init; } = [1, 4, 16];
    /// <summary>Canaries per repetition count.</summary>
    public int PerCount { get; init; } = 2;
    public int Digits { get; init; } = 6;
    /// <summary>Secrets sampled from the randomness space to estimate each canary's rank.</summary>
    public int Candidates { get; init; } = 2000;
    /// <summary>Training texts tried for verbatim extraction (prefix → greedy suffix).</summary>
    public int Extraction { get; init; } = 50;
    public int Seed { get; init; } = 0;
}

/// <summary>One canary after training: its loss and exposure.</summary>
public sealed record CanaryExposure(Canary Canary, double Loss, double Exposure);

/// <summary>The audit's outcome: exposure per canary (log2 |R| at most) and the verbatim extraction rate.</summary>
public sealed record MemorizationResult(string RunDir, string Method, double SpaceSize, IReadOnlyList<CanaryExposure> Canaries, int ExtractionTried, int Extracted)
{
    /// <summary>The trained model folder, whose lineage.json and card record this result.</summary>
    public string ModelDir { get; init; } = "";
}

/// <summary>
/// The Secret Sharer test on a user's causal-LM recipe: random canaries ("my PIN is 4 8 1 5 2 6") are inserted into
/// the training text at several repetition counts, the recipe trains as it would, and each canary's exposure is
/// estimated against sampled secrets; then training texts are prompted with their first tokens to see how many the
/// model completes verbatim (greedy). Writes memorization.json into the run folder.
/// </summary>
public static class MemorizationAudit
{
    const int ExtractPrompt = 32, ExtractTarget = 16;

    public static MemorizationResult Run(MemorizationOptions o, IProgress<TrainProgress>? progress = null)
    {
        var recipe = RecipeLoader.Load(o.Recipe, o.Overrides);
        if (recipe.Task != "causal-lm") throw new UserError($"{recipe.File}: key 'task': audit memorization needs a causal-lm recipe (text data), not {recipe.Task}");
        if (o.Candidates < 10) throw new UserError($"--candidates: {o.Candidates} is too few to estimate a rank (at least 10)");
        var (train, _, _) = RecipeTask.Files(recipe);
        var options = RecipeTask.Options(recipe, "cpu");
        var field = options.Fields.Text;
        var records = RecipeTask.Records(recipe, train, isTrain: true).ToList();
        var canaries = Canaries.Create(o.Repetitions, o.PerCount, o.Digits, o.Seed);

        var baseTokenizer = HfTokenizer.Load(recipe.Model);
        int longest = canaries.Max(c => baseTokenizer.Encode(c.Text, addSpecialTokens: false).Count);
        if (longest >= options.BlockSize)
            throw new UserError($"{recipe.File}: key 'data.block_size': a canary is {longest} tokens, longer than the {options.BlockSize}-token context");

        // The training text: every record, each canary inserted `Repetitions` times at seeded random places.
        var rows = records.Select(r => r.Fields.ToJsonString()).ToList();
        var rng = new Random(o.Seed);
        foreach (var c in canaries)
            for (int i = 0; i < c.Repetitions; i++) rows.Insert(rng.Next(rows.Count + 1), new JsonObject { [field] = c.Text }.ToJsonString());
        var runDir = recipe.OutputDir;
        Directory.CreateDirectory(runDir);
        var augmented = Path.Combine(runDir, "memorization-train.jsonl");
        IO.AtomicFile.WriteAllText(augmented, string.Join("\n", rows) + "\n");
        var trainRecipe = RecipeLoader.Load(o.Recipe, [.. o.Overrides, $"data.train={augmented}", "data.format=jsonl",
            .. recipe.Section("data")["limit"] is null ? Array.Empty<string>() : [$"data.limit={rows.Count}"]]);
        var outcome = RecipeRunner.Run(trainRecipe, progress: progress);

        using var model = Pretrained.LoadCausalLM(outcome.ModelDir, CPU);
        model.Module.eval();
        var tok = HfTokenizer.Load(outcome.ModelDir);
        double space = Math.Pow(10, o.Digits);
        var candidateRng = new Random(o.Seed + 1);
        var candidates = Enumerable.Range(0, o.Candidates).Select(_ => Canaries.RandomSecret(candidateRng, o.Digits)).ToList();
        var candidateLoss = ContinuationLoss.Of(model, tok, Canaries.DefaultPrefix, candidates, CPU);
        var canaryLoss = ContinuationLoss.Of(model, tok, Canaries.DefaultPrefix, canaries.Select(c => c.Secret).ToList(), CPU);
        var exposures = canaries.Select((c, i) => new CanaryExposure(c, canaryLoss[i], Exposure.Estimate(canaryLoss[i], candidateLoss, space))).ToList();

        var (tried, extracted) = Extraction(model, tok, records.Select(r => Tasks.RecordFields.String(r, field)).ToList(), o.Extraction, o.Seed);
        var result = new MemorizationResult(runDir, recipe.MethodType, space, exposures, tried, extracted) { ModelDir = outcome.ModelDir };
        var json = Json(result);
        IO.AtomicFile.WriteAllText(Path.Combine(runDir, "memorization.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        Cards.AuditRecords.Attach(outcome.ModelDir, "memorization", json, Markdown(result));
        return result;
    }

    /// <summary>Of up to <paramref name="count"/> training texts long enough, how many the model continues verbatim for 16 tokens.</summary>
    static (int Tried, int Extracted) Extraction(ICausalLM model, HfTokenizer tok, IReadOnlyList<string> texts, int count, int seed)
    {
        var rng = new Random(seed + 2);
        var order = Enumerable.Range(0, texts.Count).OrderBy(_ => rng.Next()).ToList();
        int tried = 0, extracted = 0;
        foreach (int i in order)
        {
            if (tried >= count) break;
            var ids = tok.Encode(texts[i], addSpecialTokens: false);
            if (ids.Count < ExtractPrompt + ExtractTarget) continue;
            tried++;
            var output = TextGenerator.Generate(model, ids.Take(ExtractPrompt).ToList(), new GenerationOptions { MaxNewTokens = ExtractTarget, IgnoreEos = true });
            if (output.NewIds.SequenceEqual(ids.Skip(ExtractPrompt).Take(ExtractTarget))) extracted++;
        }
        return (tried, extracted);
    }

    /// <summary>The card section: exposure by repetition count, and the extraction rate.</summary>
    static string Markdown(MemorizationResult r)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var md = new System.Text.StringBuilder(string.Create(inv, $"`tunesharp audit memorization`: random canaries inserted into the training text, exposure in bits (|R| = {r.SpaceSize:0}, at most {Math.Log2(r.SpaceSize):0.00}; about 1 when nothing is memorised).\n\n| inserted | mean exposure | max exposure |\n|---:|---:|---:|\n"));
        foreach (var g in r.Canaries.GroupBy(c => c.Canary.Repetitions))
            md.Append(string.Create(inv, $"| {g.Key}× | {g.Average(c => c.Exposure):0.00} | {g.Max(c => c.Exposure):0.00} |\n"));
        md.Append(string.Create(inv, $"\nVerbatim extraction: {r.Extracted} of {r.ExtractionTried} training texts continued exactly for 16 tokens.\n"));
        return md.ToString();
    }

    static JsonObject Json(MemorizationResult r)
    {
        return new JsonObject
        {
            ["method"] = r.Method,
            ["space_size"] = r.SpaceSize,
            ["max_exposure"] = Math.Log2(r.SpaceSize),
            ["canaries"] = new JsonArray(r.Canaries.Select(c => (JsonNode)new JsonObject
            {
                ["text"] = c.Canary.Text, ["repetitions"] = c.Canary.Repetitions, ["loss"] = c.Loss, ["exposure"] = c.Exposure,
            }).ToArray()),
            ["extraction"] = new JsonObject { ["tried"] = r.ExtractionTried, ["extracted"] = r.Extracted },
        };
    }
}
