using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Data;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// Sequence classification on unlabeled records: the text (and text pair) is tokenized as training did
/// (truncated to max_length), and each record gets <c>label</c> (the most probable class; for a multi-label
/// model, the list of labels whose probability reaches the threshold) and <c>probabilities</c> {label: p}
/// (softmax, or per-label sigmoid for multi-label).
/// </summary>
public sealed class SequenceClassifierPredictor : IPredictor
{
    readonly IClassifierModel model;
    readonly HfTokenizer tokenizer;
    readonly PredictOptions options;
    readonly Device device;
    readonly int padId, maxLength;

    /// <summary>The class names in index order (the model's id2label).</summary>
    public LabelSet Labels { get; }

    /// <summary>Whether config.json says problem_type multi_label_classification.</summary>
    public bool MultiLabel { get; }

    /// <inheritdoc/>
    public string Task => "sequence-classification";

    /// <summary>Loads the classifier in <see cref="PredictOptions.ModelDir"/> on <paramref name="device"/> in eval mode.</summary>
    public SequenceClassifierPredictor(PredictOptions options, Device device)
    {
        this.options = options;
        this.device = device;
        var config = Pretrained.Config(options.ModelDir);
        Labels = ClassifierLoading.Labels(config, Task);
        MultiLabel = config.String("problem_type") == "multi_label_classification";
        (tokenizer, int vocab) = ClassifierLoading.Tokenizer(options.ModelDir, config);
        padId = TaskModelSetup.PadId(config, tokenizer);
        maxLength = ClassifierLoading.MaxLength(config, tokenizer, options.MaxLength);
        model = SequenceClassifiers.Create(config, Labels.Names, padId, device);
        try { ClassifierLoading.Load(model, options.ModelDir, vocab, Task); }
        catch { model.Dispose(); throw; }
    }

    /// <inheritdoc/>
    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<DataRecord> records)
    {
        if (records.Count == 0) return [];
        var f = options.Fields;
        var texts = records.Select(r => RecordFields.String(r, f.Text)).ToList();
        var pairs = f.TextPair is { } p ? records.Select(r => RecordFields.String(r, p)).ToList() : null;
        var enc = tokenizer.EncodeBatch(texts, pairs, new EncodeOptions { Padding = Tokenization.Padding.None, Truncation = true, MaxLength = maxLength });
        for (int i = 0; i < records.Count; i++)
            if (enc.InputIds[i].Length == 0) throw new UserError($"{RecordFields.Where(records[i], f.Text)}: the text encodes to no tokens");

        float[] probs;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var ids = Rows.Pad(enc.InputIds, padId, device);
            var mask = Rows.Mask(enc.InputIds, device);
            var logits = model is BertSequenceClassifier bert
                ? bert.Model.Forward(ids, mask, Rows.Pad(enc.TokenTypeIds, 0, device))
                : model.Logits(ids, mask);
            logits = logits.to_type(ScalarType.Float32);
            probs = (MultiLabel ? logits.sigmoid() : logits.softmax(-1)).cpu().data<float>().ToArray();
        }

        var rows = new List<JsonObject>(records.Count);
        int L = Labels.Count;
        for (int b = 0; b < records.Count; b++)
        {
            var row = probs.AsSpan(b * L, L).ToArray();
            var probabilities = new JsonObject();
            for (int k = 0; k < L; k++) probabilities[Labels.Names[k]] = (double)row[k];
            JsonNode label = MultiLabel
                ? new JsonArray(Enumerable.Range(0, L).Where(k => row[k] >= options.MultiLabelThreshold).Select(k => (JsonNode)Labels.Names[k]).ToArray())
                : Labels.Names[ArgMax(row)];
            rows.Add(new JsonObject { ["label"] = label, ["probabilities"] = probabilities });
        }
        return rows;
    }

    static int ArgMax(float[] values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++) if (values[k] > values[best]) best = k;
        return best;
    }

    /// <inheritdoc/>
    public void Dispose() => model.Dispose();
}
