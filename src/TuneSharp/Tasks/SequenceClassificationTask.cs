using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Data;
using TuneSharp.Evaluation;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Heads;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>
/// Sequence classification (sentiment, topic, NLI with a text pair), single-label (cross-entropy with optional
/// class weights and label smoothing) or multi-label (sigmoid + BCE-with-logits, threshold 0.5). BERT reads the
/// pooled [CLS] position (BertForSequenceClassification); decoders read each row's last non-pad token
/// (LlamaForSequenceClassification / GPT2ForSequenceClassification, head <c>score</c> without bias).
/// Batches: input_ids, attention_mask, token_type_ids (B, T) and labels (B,) int64 or (B, L) float32.
/// </summary>
public sealed class SequenceClassificationTask : ITask
{
    readonly IClassifierModel model;
    readonly HfTokenizer tokenizer;
    readonly JsonObject savedConfig;
    readonly string sourceDir;
    readonly TaskOptions options;
    readonly int padId;
    readonly Tensor? classWeights;
    readonly Dictionary<Split, List<ClassificationExample>> splits = new();

    /// <summary>Name for reports.</summary>
    public string Name => "sequence-classification";

    /// <summary>The class names in index order (the saved id2label).</summary>
    public LabelSet Labels { get; }

    /// <summary>The classifier (body + head, HF keys).</summary>
    public IClassifierModel Model => model;

    /// <summary>The tokenizer (with any added special tokens).</summary>
    public HfTokenizer Tokenizer => tokenizer;

    /// <summary>Whether the head came from the checkpoint (same label set) rather than a fresh initialisation.</summary>
    public bool HeadLoaded { get; }

    /// <summary>Loads <paramref name="modelDir"/>, resolves the label set, builds the head and tokenizes every split.</summary>
    /// <param name="modelDir">The model folder (Hugging Face layout).</param>
    /// <param name="data">The record streams.</param>
    /// <param name="options">Length, fields, labels and the rest.</param>
    /// <param name="sharedEncoderHead">
    /// Multi-task learning: builds this task's head (for the resolved labels) on an encoder that its owner has
    /// already loaded, instead of loading a model of its own; null = a model of its own.
    /// </param>
    public SequenceClassificationTask(string modelDir, TaskData data, TaskOptions options, Func<IReadOnlyList<string>, IClassifierModel>? sharedEncoderHead = null)
    {
        this.options = options;
        sourceDir = modelDir;
        var config = TaskModelSetup.Config(modelDir, options);
        var type = ModelFactory.ModelType(config);
        (tokenizer, int vocab) = TaskModelSetup.Tokenizer(modelDir, config, options);
        var f = options.Fields;
        var records = new Dictionary<Split, List<DataRecord>>();
        foreach (var split in Enum.GetValues<Split>()) records[split] = RecordFields.Load(data.Of(split), split);
        var checkpointLabels = LabelSet.FromConfig(config.Root);
        var labelSource = options.LabelsFromAllSplits ? records.Values.SelectMany(r => r).ToList() : records[Split.Train];
        Labels = LabelSet.Resolve(options.Labels, checkpointLabels, LabelValues(labelSource, f.Label));
        if (options.ClassWeights is { } w && w.Count != Labels.Count)
            throw new UserError($"class_weights: {w.Count} weight(s) for {Labels.Count} label(s) ({string.Join(", ", Labels.Names)})");
        padId = TaskModelSetup.PadId(config, tokenizer);

        var device = torch.device(options.Device);
        model = sharedEncoderHead?.Invoke(Labels.Names) ?? Classifiers.Sequence(config, Labels.Names, padId, device, options.Pooling);
        try
        {
            bool sameLabels = checkpointLabels is not null && checkpointLabels.SequenceEqual(Labels.Names);
            if (sharedEncoderHead is null)
            {
                HeadLoaded = HeadCheckpoint.Load(model, modelDir, loadHead: sameLabels);
                model.ResizeTokenEmbeddings(vocab);
            }
            classWeights = options.ClassWeights is { } cw ? tensor(cw.Select(x => (float)x).ToArray(), device: device).DetachFromDisposeScope() : null;
            foreach (var (split, list) in records) splits[split] = Encode(list);
        }
        catch { model.Dispose(); throw; }

        savedConfig = TaskModelSetup.SavedConfig(config, vocab, model.Architecture);
        Labels.WriteTo(savedConfig);
        savedConfig["problem_type"] = options.MultiLabel ? "multi_label_classification" : "single_label_classification";
        savedConfig["pad_token_id"] = padId;
        if (model is DecoderForSequenceClassification decoder) savedConfig[SequencePooling.ConfigKey] = decoder.Pooling;
        if (model is BertSequenceClassifier { Model.Pooling: not SequencePooling.Pooler } bert) savedConfig[SequencePooling.ConfigKey] = bert.Model.Pooling;
        model.Module.train();
    }

    IEnumerable<(DataRecord, string, JsonNode)> LabelValues(List<DataRecord> records, string field)
    {
        foreach (var r in records)
        {
            var value = RecordFields.Required(r, field);
            if (options.MultiLabel)
            {
                if (value is not JsonArray list) throw new UserError($"{RecordFields.Where(r, field)}: expected a list of labels (multi-label), got {RecordFields.Kind(value)}");
                foreach (var item in list) yield return (r, field, item ?? throw new UserError($"{RecordFields.Where(r, field)}: a label is null"));
            }
            else yield return (r, field, value);
        }
    }

    List<ClassificationExample> Encode(List<DataRecord> records)
    {
        var f = options.Fields;
        var texts = records.Select(r => RecordFields.String(r, f.Text)).ToList();
        var pairs = f.TextPair is { } p ? records.Select(r => RecordFields.String(r, p)).ToList() : null;
        var enc = tokenizer.EncodeBatch(texts, pairs, new EncodeOptions { Padding = Tokenization.Padding.None, Truncation = true, MaxLength = options.MaxLength });
        var list = new List<ClassificationExample>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (enc.InputIds[i].Length == 0) throw new UserError($"{RecordFields.Where(r, f.Text)}: the text encodes to no tokens");
            var value = RecordFields.Required(r, f.Label);
            if (options.MultiLabel)
            {
                if (value is not JsonArray arr) throw new UserError($"{RecordFields.Where(r, f.Label)}: expected a list of labels (multi-label), got {RecordFields.Kind(value)}");
                var flags = new bool[Labels.Count];
                foreach (var item in arr) flags[Labels.Of(r, f.Label, item)] = true;
                list.Add(new ClassificationExample(enc.InputIds[i], enc.TokenTypeIds[i], -1, flags));
            }
            else list.Add(new ClassificationExample(enc.InputIds[i], enc.TokenTypeIds[i], Labels.Of(r, f.Label, value), null));
        }
        return list;
    }

    /// <summary>The tokenized examples of a split.</summary>
    public IReadOnlyList<ClassificationExample> Examples(Split split) => splits[split];

    public nn.Module Module => model.Module;

    public int Count(Split split) => splits[split].Count;

    public IReadOnlyList<int> TrainLengths => splits[Split.Train].Select(e => e.Ids.Length).ToList();

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var items = indices.Select(i => splits[split][i]).ToList();
        var ids = items.Select(e => e.Ids).ToList();
        var batch = new Batch { Examples = items.Count, InputTokens = ids.Sum(r => (long)r.Length), LossTokens = items.Count };
        batch.Tensors["input_ids"] = Rows.Pad(ids, padId, device);
        batch.Tensors["attention_mask"] = Rows.Mask(ids, device);
        batch.Tensors["token_type_ids"] = Rows.Pad(items.Select(e => e.TypeIds).ToList(), 0, device);
        batch.Tensors["labels"] = options.MultiLabel
            ? tensor(items.SelectMany(e => e.Labels!.Select(b => b ? 1f : 0f)).ToArray(), [items.Count, Labels.Count], device: device)
            : tensor(items.Select(e => (long)e.Label).ToArray(), device: device);
        return batch;
    }

    /// <summary>Logits (B, num_labels) of a batch.</summary>
    public Tensor Logits(Batch batch) => model switch
    {
        BertSequenceClassifier bert => bert.Model.Forward(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]),
        MultiTaskHead head => head.Logits(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]),
        _ => model.Logits(batch["input_ids"], batch["attention_mask"]),
    };

    public Tensor Loss(Batch batch)
    {
        using var scope = NewDisposeScope();
        return LossOf(Logits(batch), batch["labels"]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The task's own loss of logits (B, L) against labels (B,) or (B, L) (class weights, label smoothing): what
    /// <see cref="Loss"/> computes from <see cref="Logits"/>; adversarial objectives and distillation mix it in.
    /// </summary>
    public Tensor LossOf(Tensor logits, Tensor labels)
    {
        logits = logits.to_type(ScalarType.Float32);
        return options.MultiLabel
            ? nn.functional.binary_cross_entropy_with_logits(logits, labels.to(logits.device))
            : nn.functional.cross_entropy(logits, labels.to(logits.device), weight: classWeights, label_smoothing: options.LabelSmoothing);
    }

    public EvalResult Evaluate(Split split, int batchSize, Device device)
    {
        var examples = splits[split];
        if (examples.Count == 0) throw new UserError($"{split.ToString().ToLowerInvariant()} data: no records to evaluate");
        double lossSum = 0;
        var predicted = new List<int>();
        var predictedSets = new List<IReadOnlyList<bool>>();
        using (new EvalScope(model.Module))
            for (int start = 0; start < examples.Count; start += batchSize)
            {
                var indices = Enumerable.Range(start, Math.Min(batchSize, examples.Count - start)).ToList();
                using var batch = Collate(split, indices, device);
                using var scope = NewDisposeScope();
                var logits = Logits(batch).to_type(ScalarType.Float32);                       // (B, L)
                lossSum += LossOf(logits, batch["labels"]).item<float>() * indices.Count;
                if (options.MultiLabel)
                {
                    var flags = logits.sigmoid().ge(options.MultiLabelThreshold).cpu().data<bool>().ToArray();
                    for (int b = 0; b < indices.Count; b++) predictedSets.Add(flags.AsSpan(b * Labels.Count, Labels.Count).ToArray());
                }
                else predicted.AddRange(logits.argmax(-1).cpu().data<long>().ToArray().Select(x => (int)x));
            }
        double loss = lossSum / examples.Count;
        return options.MultiLabel ? MultiLabelResult(examples, predictedSets, loss) : SingleLabelResult(examples, predicted, loss);
    }

    /// <summary>The single-label metrics every evaluation reports (per-class F1 aside): loss, accuracy, macro/micro/weighted F1.</summary>
    public static Dictionary<string, double> SingleLabelMetrics(ClassificationReport report, double loss) => new(StringComparer.Ordinal)
    {
        ["loss"] = loss, ["accuracy"] = report.Accuracy, ["macro_f1"] = report.Macro.F1,
        ["micro_f1"] = report.Micro.F1, ["weighted_f1"] = report.Weighted.F1,
    };

    EvalResult SingleLabelResult(List<ClassificationExample> examples, List<int> predicted, double loss)
    {
        var truth = examples.Select(e => Labels.Names[e.Label]).ToList();
        var pred = predicted.Select(p => Labels.Names[p]).ToList();
        var report = ClassificationMetrics.Report(truth, pred, Labels.Names);
        var confusion = ClassificationMetrics.ConfusionMatrix(truth, pred, Labels.Names);
        var metrics = SingleLabelMetrics(report, loss);
        foreach (var row in report.Classes) metrics["f1/" + row.Name] = row.F1;
        var md = new StringBuilder("```\n").Append(report.ToText(4)).Append("```\n\nConfusion matrix (rows = true, columns = predicted):\n\n");
        md.Append("| true \\ predicted | ").Append(string.Join(" | ", Labels.Names)).Append(" |\n|---|")
          .Append(string.Concat(Enumerable.Repeat("---|", Labels.Count))).Append('\n');
        for (int i = 0; i < Labels.Count; i++)
            md.Append("| ").Append(Labels.Names[i]).Append(" | ").Append(string.Join(" | ", confusion.Counts[i])).Append(" |\n");
        return new EvalResult(metrics, report.Settings + "|loss:" + LossSettings, md.ToString()) { Predictions = new LabelPredictions(truth, pred, Labels.Names) };
    }

    EvalResult MultiLabelResult(List<ClassificationExample> examples, List<IReadOnlyList<bool>> predicted, double loss)
    {
        var report = MultiLabelMetrics.Evaluate(examples.Select(e => (IReadOnlyList<bool>)e.Labels!).ToList(), predicted, Labels.Names);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss"] = loss, ["micro_f1"] = report.Micro.F1, ["macro_f1"] = report.Macro.F1,
            ["weighted_f1"] = report.Weighted.F1, ["subset_accuracy"] = report.SubsetAccuracy, ["hamming_loss"] = report.HammingLoss,
        };
        var md = new StringBuilder("| label | precision | recall | f1 | support |\n|---|---|---|---|---|\n");
        foreach (var row in report.Labels.Append(report.Micro).Append(report.Macro))
            md.Append(FormattableString.Invariant($"| {row.Name} | {row.Precision:F4} | {row.Recall:F4} | {row.F1:F4} | {row.Support} |\n"));
        return new EvalResult(metrics, report.Settings + FormattableString.Invariant($"|threshold:{options.MultiLabelThreshold}|loss:{LossSettings}"), md.ToString());
    }

    string LossSettings => options.MultiLabel ? "bce-with-logits(mean)"
        : FormattableString.Invariant($"cross-entropy(mean,label_smoothing:{options.LabelSmoothing},class_weights:{(options.ClassWeights is null ? "none" : "given")})");

    /// <summary>Writes the full model folder: weights with HF keys, config.json with id2label/label2id/num_labels/problem_type, tokenizer.</summary>
    public void Save(string dir) => ModelFolder.Save(dir, model.Module, savedConfig, tokenizer, sourceDir);

    public void Dispose()
    {
        classWeights?.Dispose();
        model.Dispose();
    }
}
