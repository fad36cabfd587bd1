using System.Text.Json.Nodes;
using TuneSharp.FewShot;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Recipes;

/// <summary>
/// <c>method.type: setfit</c> (Tunstall et al. 2022) on a BERT sequence classifier: first the contrastive stage
/// trains the body on pairs of the training examples (<see cref="SetFitTrainer"/>: same label → cosine 1, different
/// → 0) through the very pooling the classifier reads, then a logistic regression on the tuned body's pooled vectors
/// becomes the head (<see cref="FrozenFeatures"/>, its L2 chosen on validation). Pair with data.limit, or use
/// <c>tunesharp fewshot</c> for k examples per class. The saved model is a plain BertForSequenceClassification.
/// </summary>
public static class SetFitRecipe
{
    /// <summary>The contrastive stage's settings from method.setfit (setfit's names and defaults); null for other methods.</summary>
    public static SetFitOptions? Options(Recipe r)
    {
        var section = r.Section("method")["setfit"] as JsonObject;
        if (r.MethodType != "setfit")
        {
            if (section is not null) throw new UserError($"{r.File}: key 'method.setfit': set only with method.type setfit");
            return null;
        }
        section ??= [];
        var defaults = new SetFitOptions();
        int Positive(string key, int fallback)
        {
            long v = Recipe.Int(section, key) ?? fallback;
            return v >= 1 ? (int)v : throw new UserError($"{r.File}: key 'method.setfit.{key}': must be at least 1, got {v}");
        }
        double lr = Recipe.Number(section, "learning_rate") ?? defaults.learning_rate;
        if (!(lr > 0)) throw new UserError($"{r.File}: key 'method.setfit.learning_rate': must be > 0, got {lr}");
        return new SetFitOptions(
            num_iterations: Positive("num_iterations", defaults.num_iterations),
            batch_size: Positive("batch_size", defaults.batch_size),
            learning_rate: lr,
            epochs: Positive("epochs", defaults.epochs),
            max_pairs: Recipe.Int(section, "max_pairs") is null ? null : Positive("max_pairs", 1));
    }

    /// <summary>Runs both stages on the task's classifier; the contrastive losses go first into metrics.jsonl (split "setfit").</summary>
    public static TrainResult Fit(Recipe r, SetFitOptions setfit, SequenceClassificationTask task, TrainingOptions options, string runDir,
        Device device, IReadOnlyList<double> l2Grid)
    {
        if (task.Model is not BertSequenceClassifier bert)
            throw new UserError($"{r.File}: key 'method.type': setfit needs a BERT-family encoder (this model's head is {task.Model.Architecture})");
        var labels = task.Examples(Split.Train).Select(e => e.Labels is null ? e.Label
            : throw new UserError($"{r.File}: key 'method.type': setfit fits single-label classifiers (data.multi_label is set)")).ToList();
        // The body trains (less what method.freeze or freeze_layers froze); the head is set afterwards by the regression.
        foreach (var (name, p) in bert.Module.named_parameters())
            if (name.StartsWith("classifier.", StringComparison.Ordinal)) p.requires_grad = false;
        var losses = SetFitTrainer.Train(bert.Model.bert, rows =>
        {
            using var batch = task.Collate(Split.Train, rows.ToList(), device);
            return bert.Model.Pooled(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]).to_type(ScalarType.Float32); // (R, C)
        }, labels, setfit, options.Seed);
        foreach (var p in bert.Module.parameters()) p.requires_grad = false;
        var preamble = losses.Select((loss, i) => new JsonObject { ["split"] = "setfit", ["step"] = i + 1, ["loss"] = loss }).ToList();
        return FrozenFeatures.Fit(task, options, runDir, device, l2Grid, r.File, preamble);
    }
}
