using System.Text.Json.Nodes;
using TorchSharp.Modules;
using TuneSharp.Evaluation;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// The frozen-features method (a linear probe on sentence embeddings): the pretrained encoder is not trained; each
/// example is encoded once into the vector the classifier reads (the pooling of <c>method.pooling</c>), and a
/// multinomial logistic regression is fitted on the training vectors for each L2 penalty of the grid, the one with
/// the best validation metric kept. The fitted regression becomes the <c>classifier</c> layer, so the saved folder is
/// an ordinary BertForSequenceClassification that <c>eval</c>, <c>predict</c> and <c>serve</c> load as any other.
/// metrics.jsonl gets one "l2_search" line per penalty.
/// </summary>
public static class FrozenFeatures
{
    /// <summary>The penalties tried when the recipe gives none (scikit-learn's C = 1/(N·l2) from 10⁴/N down to 0.1/N).</summary>
    public static readonly IReadOnlyList<double> DefaultL2Grid = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

    public static TrainResult Fit(SequenceClassificationTask task, TrainingOptions options, string runDir, Device device,
        IReadOnlyList<double> l2Grid, string recipeFile, IReadOnlyList<JsonObject>? preamble = null)
    {
        if (task.Model is not BertSequenceClassifier bert)
            throw new UserError($"{recipeFile}: key 'method.type': frozen-features needs a BERT-family encoder (this model's head is {task.Model.Architecture}); use full or lora");
        if (task.Labels.Names.Count < 2) throw new UserError($"{recipeFile}: frozen-features needs at least 2 labels");
        if (task.Examples(Split.Train).Any(e => e.Labels is not null))
            throw new UserError($"{recipeFile}: key 'method.type': frozen-features fits single-label classifiers (data.multi_label is set)");
        if (l2Grid.Count == 0 || l2Grid.Any(l => !(l > 0))) throw new UserError($"{recipeFile}: key 'method.l2': penalties must be > 0");

        var train = Encode(task, bert, Split.Train, options.EvalBatchSize, device);
        var trainLabels = task.Examples(Split.Train).Select(e => e.Label).ToArray();
        bool hasValidation = task.Count(Split.Validation) > 0;
        var validation = hasValidation ? Encode(task, bert, Split.Validation, options.EvalBatchSize, device) : null;
        var validationLabels = hasValidation ? task.Examples(Split.Validation).Select(e => e.Label).ToArray() : null;
        string metric = options.MetricForBestModel;
        using var log = new MetricsLog(Path.Combine(runDir, "metrics.jsonl"), resumeStep: null);
        foreach (var line in preamble ?? []) log.Write(line); // an earlier stage's lines (SetFit's contrastive losses)
        (double, IReadOnlyDictionary<string, double>) Validate(SoftmaxRegressionFit fit)
        {
            var metrics = Score(fit, validation!, validationLabels!, task.Labels.Names);
            if (!metrics.TryGetValue(metric, out double score))
                throw new UserError($"{recipeFile}: key 'evaluation.metric_for_best_model': '{metric}' is not one of {string.Join(", ", metrics.Keys)} (frozen-features)");
            return (score, metrics);
        }
        void Log(L2Trial t)
        {
            var entry = new JsonObject { ["split"] = "l2_search", ["step"] = t.Index, ["l2"] = t.L2, ["iterations"] = t.Fit.Iterations, ["gradient_norm"] = t.Fit.GradientNorm };
            foreach (var (k, v) in t.Metrics ?? new Dictionary<string, double>()) entry[k] = v;
            log.Write(entry);
        }
        var best = L2Search.Best(train, trainLabels, task.Labels.Count, l2Grid, hasValidation ? Validate : null, options.GreaterIsBetter, Log);

        var classifier = (Linear)bert.Model.classifier;
        using (no_grad())
        {
            classifier.weight!.copy_(tensor(best.Fit.Weight).to(classifier.weight.dtype, classifier.weight.device));
            classifier.bias!.copy_(tensor(best.Fit.Bias).to(classifier.bias.dtype, classifier.bias.device));
        }
        return new TrainResult(0, 0, best.Score, null, false, best.Metrics);
    }

    /// <summary>The pooled vectors (N, hidden_size) of a split, in example order, as the classifier reads them.</summary>
    public static float[,] Encode(SequenceClassificationTask task, BertSequenceClassifier bert, Split split, int batchSize, Device device)
    {
        int n = task.Count(split), d = bert.Model.Config.hidden_size;
        var result = new float[n, d];
        using (new EvalScope(bert.Module))
            for (int start = 0; start < n; start += batchSize)
            {
                var indices = Enumerable.Range(start, Math.Min(batchSize, n - start)).ToList();
                using var batch = task.Collate(split, indices, device);
                using var scope = NewDisposeScope();
                var pooled = bert.Model.Pooled(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]) // (B, D)
                    .to_type(ScalarType.Float32).cpu().data<float>().ToArray();
                Buffer.BlockCopy(pooled, 0, result, start * d * sizeof(float), pooled.Length * sizeof(float));
            }
        return result;
    }

    /// <summary>Loss, accuracy and F1s of a fitted regression on encoded examples (the names the classifier task reports).</summary>
    static Dictionary<string, double> Score(SoftmaxRegressionFit fit, float[,] features, int[] labels, IReadOnlyList<string> names)
    {
        using var scope = NewDisposeScope();
        var logits = fit.Logits(features);                                                      // (N, K)
        var target = tensor(labels.Select(l => (long)l).ToArray());
        double loss = nn.functional.cross_entropy(logits, target).item<float>();
        var predicted = logits.argmax(1).data<long>().ToArray();
        var report = ClassificationMetrics.Report(labels.Select(l => names[l]).ToList(), predicted.Select(p => names[(int)p]).ToList(), names);
        return SequenceClassificationTask.SingleLabelMetrics(report, loss);
    }
}
