using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.IO;
using TuneSharp.Reporting;
using TuneSharp.Tasks;
using TuneSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Recipes;

/// <summary>What stage 1 left: the adapted model folder and its report section (losses before and after).</summary>
public sealed record DomainAdaptationOutcome(string ModelDir, ReportSection Report);

/// <summary>
/// Stage 1 of a recipe with <c>domain_adaptation:</c> (Gururangan et al. 2020, "Don't Stop Pretraining"): continued
/// pretraining of the recipe's model on in-domain text, masked-LM for BERT encoders, causal-LM for decoders, with
/// an optional share of general text replayed against forgetting. Before and after, the stage measures its loss on
/// held-out in-domain text (the adaptation) and on held-out general text (the forgetting). Writes
/// <c>&lt;run&gt;/domain-adapted/</c>: <c>model/</c> (the folder stage 2 fine-tunes), <c>metrics.jsonl</c> and
/// <c>domain-adaptation.json</c>. On resume a finished stage 1 is reused.
/// </summary>
public static class DomainAdaptation
{
    /// <summary>The stage's folder in the run folder.</summary>
    public const string Folder = "domain-adapted";
    const string ResultFile = "domain-adaptation.json";

    public static DomainAdaptationOutcome Run(Recipe recipe, DomainAdaptationSettings settings, string runDir, Device device,
        bool resume, IProgress<TrainProgress>? progress = null)
    {
        var stageDir = Path.Combine(runDir, Folder);
        var modelDir = Path.Combine(stageDir, "model");
        var resultPath = Path.Combine(stageDir, ResultFile);
        if (resume && File.Exists(resultPath) && File.Exists(Path.Combine(modelDir, "config.json")))
            return new DomainAdaptationOutcome(modelDir, Section(JsonNode.Parse(File.ReadAllText(resultPath))!.AsObject()));
        if (Directory.Exists(stageDir)) Directory.Delete(stageDir, recursive: true); // a fresh run never mixes in an old stage's metrics

        var clock = Stopwatch.StartNew();
        var (domainTrain, domainHeldOut) = settings.Split(settings.Corpus, settings.CorpusValidation);
        List<DataRecord>? generalTrain = null, generalHeldOut = null;
        if (settings.GeneralCorpus is { } general) (generalTrain, generalHeldOut) = settings.Split(general, settings.GeneralValidation);
        else if (settings.GeneralValidation is { } heldOut) generalHeldOut = DataSources.Open(heldOut).Take(settings.EvalExamples).ToList();
        var replay = Replay(generalTrain, domainTrain.Count, settings.ReplayRatio, recipe.Seed);

        // Validation = in-domain held-out text, test = general held-out text: the two losses the stage reports.
        var data = new TaskData(domainTrain.Concat(replay), domainHeldOut, generalHeldOut);
        var options = RecipeTask.Options(recipe, device.type == DeviceType.CUDA ? "cuda" : "cpu") with
        {
            Fields = FieldNames.Default.With("text", settings.TextField)!,
            MaxLength = settings.MaxLength, BlockSize = settings.MaxLength, MlmProbability = settings.MlmProbability,
            Packing = false, Labels = null, MultiLabel = false,
        };
        random.manual_seed(settings.Training.Seed); // a fresh MLM head is drawn from it
        JsonObject result;
        using (var task = TaskBuilder.Create(settings.Objective, recipe.Model, data, options))
        {
            int batch = settings.Training.EvalBatchSize;
            var domainBefore = task.Evaluate(Split.Validation, batch, device);
            var generalBefore = task.Count(Split.Test) > 0 ? task.Evaluate(Split.Test, batch, device) : null;
            var trained = new Trainer(task, settings.Training, stageDir, device).Train(null, progress);
            var domainAfter = task.Evaluate(Split.Validation, batch, device);
            var generalAfter = generalBefore is null ? null : task.Evaluate(Split.Test, batch, device);
            task.Save(modelDir);
            result = new JsonObject
            {
                ["objective"] = settings.Objective,
                ["corpus"] = settings.Corpus,
                ["general_corpus"] = settings.GeneralCorpus ?? settings.GeneralValidation,
                ["train_rows"] = task.Count(Split.Train),
                ["replay_rows"] = replay.Count,
                ["replay_ratio"] = settings.ReplayRatio,
                ["steps"] = trained.Steps,
                ["domain"] = Losses(domainBefore, domainAfter, task.Count(Split.Validation)),
                ["general"] = generalBefore is null ? null : Losses(generalBefore, generalAfter!, task.Count(Split.Test)),
                ["wall_time_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            };
        }
        AtomicFile.WriteAllText(resultPath, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new DomainAdaptationOutcome(modelDir, Section(result));
    }

    /// <summary>
    /// General rows mixed into training so that they make up <paramref name="ratio"/> of it: ratio / (1 − ratio) per
    /// in-domain row, drawn by a seeded shuffle (cycling when the general corpus is smaller).
    /// </summary>
    public static List<DataRecord> Replay(List<DataRecord>? general, int domainRows, double ratio, long seed)
    {
        if (general is null || ratio <= 0) return [];
        if (general.Count == 0) throw new UserError("domain_adaptation.general_corpus: no rows to replay");
        int count = (int)Math.Round(ratio / (1 - ratio) * domainRows);
        var order = general.ToArray();
        new Random(unchecked((int)(seed * 7919 + 1))).Shuffle(order);
        return Enumerable.Range(0, count).Select(i => order[i % order.Length]).ToList();
    }

    static JsonObject Losses(EvalResult before, EvalResult after, int rows) => new()
    {
        ["rows"] = rows,
        ["loss_before"] = before["loss"], ["loss_after"] = after["loss"],
        ["perplexity_before"] = before["perplexity"], ["perplexity_after"] = after["perplexity"],
        ["tokens"] = before["tokens"],
    };

    static ReportSection Section(JsonObject r)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"Continued pretraining ({r["objective"]}) on {r["corpus"]}: {r["train_rows"]} rows");
        md.Append(inv, $" ({r["replay_rows"]} of them general text, replay ratio {r["replay_ratio"]}), {r["steps"]} steps, {r["wall_time_s"]} s.\n\n");
        md.Append("| held-out text | rows | loss before | loss after | change | perplexity before | perplexity after |\n|---|---|---|---|---|---|---|\n");
        void Row(string name, JsonNode? l)
        {
            if (l is null) return;
            double b = (double)l["loss_before"]!, a = (double)l["loss_after"]!;
            md.Append(inv, $"| {name} | {l["rows"]} | {b:0.0000} | {a:0.0000} | {a - b:+0.0000;-0.0000} | {(double)l["perplexity_before"]!:0.00} | {(double)l["perplexity_after"]!:0.00} |\n");
        }
        Row("in-domain (adaptation)", r["domain"]);
        Row("general (forgetting)", r["general"]);
        return new ReportSection("domain_adaptation", "Domain adaptation (stage 1)", md.ToString(), r);
    }
}
