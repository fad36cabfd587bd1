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
    readonly LoadedClassifier classifier;
    readonly PredictOptions options;

    /// <summary>The class names in index order (the model's id2label).</summary>
    public LabelSet Labels => classifier.Labels;

    /// <summary>Whether config.json says problem_type multi_label_classification.</summary>
    public bool MultiLabel => classifier.MultiLabel;

    /// <inheritdoc/>
    public string Task => ClassifierLoader.SequenceTask;

    /// <summary>Loads the classifier in <see cref="PredictOptions.ModelDir"/> on <paramref name="device"/> in eval mode.</summary>
    public SequenceClassifierPredictor(PredictOptions options, Device device)
    {
        this.options = options;
        classifier = ClassifierLoader.Load(options.ModelDir, Task, device, options.MaxLength);
    }

    /// <inheritdoc/>
    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<DataRecord> records)
    {
        if (records.Count == 0) return [];
        var f = options.Fields;
        var texts = records.Select(r => RecordFields.String(r, f.Text)).ToList();
        var pairs = f.TextPair is { } p ? records.Select(r => RecordFields.String(r, p)).ToList() : null;
        var enc = classifier.Tokenizer.EncodeBatch(texts, pairs, new EncodeOptions { Padding = Tokenization.Padding.None, Truncation = true, MaxLength = classifier.MaxLength });
        for (int i = 0; i < records.Count; i++)
            if (enc.InputIds[i].Length == 0) throw new UserError($"{RecordFields.Where(records[i], f.Text)}: the text encodes to no tokens");
        var probs = classifier.Probabilities(enc.InputIds, enc.TokenTypeIds);

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
    public void Dispose() => classifier.Dispose();
}
