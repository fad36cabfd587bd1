using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>What the two classifier predictors share: the folder loaded by <see cref="ClassifierLoader"/> and its labels.</summary>
public abstract class ClassifierPredictor : IPredictor
{
    /// <summary>Loads the <paramref name="task"/> classifier in <see cref="PredictOptions.ModelDir"/> on <paramref name="device"/> in eval mode.</summary>
    private protected ClassifierPredictor(PredictOptions options, Device device, string task)
    {
        Options = options;
        Task = task;
        Classifier = ClassifierLoader.Load(options.ModelDir, task, device, options.MaxLength, options.Head);
    }

    /// <summary>The loaded model, tokenizer and limits.</summary>
    private protected LoadedClassifier Classifier { get; }

    /// <summary>What to read and how to decide.</summary>
    private protected PredictOptions Options { get; }

    /// <summary>The class (or tag) names in index order (the model's id2label).</summary>
    public LabelSet Labels => Classifier.Labels;

    /// <inheritdoc/>
    public string Task { get; }

    /// <inheritdoc/>
    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<DataRecord> records) => records.Count == 0 ? [] : PredictBatch(records);

    /// <summary>The prediction fields of a non-empty batch, in order.</summary>
    private protected abstract IReadOnlyList<JsonObject> PredictBatch(IReadOnlyList<DataRecord> records);

    /// <inheritdoc/>
    public void Dispose() => Classifier.Dispose();
}

/// <summary>
/// Sequence classification on unlabeled records: the text (and text pair) is tokenized as training did
/// (truncated to max_length), and each record gets <c>label</c> (the most probable class; for a multi-label
/// model, the list of labels whose probability reaches the threshold) and <c>probabilities</c> {label: p}
/// (softmax, or per-label sigmoid for multi-label).
/// </summary>
public sealed class SequenceClassifierPredictor(PredictOptions options, Device device)
    : ClassifierPredictor(options, device, ClassifierLoader.SequenceTask)
{
    private protected override IReadOnlyList<JsonObject> PredictBatch(IReadOnlyList<DataRecord> records)
    {
        var f = Options.Fields;
        var texts = records.Select(r => RecordFields.String(r, f.Text)).ToList();
        var pairs = f.TextPair is { } p ? records.Select(r => RecordFields.String(r, p)).ToList() : null;
        var enc = Classifier.Encode(texts, pairs);
        for (int i = 0; i < records.Count; i++)
            if (enc.InputIds[i].Length == 0) throw new UserError($"{RecordFields.Where(records[i], f.Text)}: the text encodes to no tokens");
        var probs = Classifier.Probabilities(enc.InputIds, enc.TokenTypeIds);

        var rows = new List<JsonObject>(records.Count);
        int L = Labels.Count;
        for (int b = 0; b < records.Count; b++)
        {
            var row = probs.AsSpan(b * L, L).ToArray();
            var probabilities = new JsonObject();
            for (int k = 0; k < L; k++) probabilities[Labels.Names[k]] = (double)row[k];
            JsonNode label = MultiLabel
                ? new JsonArray(Enumerable.Range(0, L).Where(k => row[k] >= Options.MultiLabelThreshold).Select(k => (JsonNode)Labels.Names[k]).ToArray())
                : Labels.Names[ArgMax(row)];
            rows.Add(new JsonObject { ["label"] = label, ["probabilities"] = probabilities });
        }
        return rows;
    }

    /// <summary>Whether config.json says problem_type multi_label_classification.</summary>
    public bool MultiLabel => Classifier.MultiLabel;

    static int ArgMax(float[] values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++) if (values[k] > values[best]) best = k;
        return best;
    }
}

/// <summary>
/// Token classification on unlabeled records: the words (the tokens field, a list of words, or a string split on
/// whitespace) are aligned to sub-word tokens as training aligned them (<see cref="WordAlignment"/>), and each
/// record gets <c>predicted_tags</c>, one tag per word: the argmax at the word's first sub-token, "O" for words
/// cut off by max_length (as <see cref="TokenClassificationTask"/> predicts them).
/// </summary>
public sealed class TokenClassifierPredictor(PredictOptions options, Device device)
    : ClassifierPredictor(options, device, ClassifierLoader.TokenTask)
{
    /// <summary>The words of a record: a list of strings, or a string split on whitespace.</summary>
    public IReadOnlyList<string> Words(DataRecord r)
    {
        var field = Options.Fields.Tokens;
        var value = RecordFields.Required(r, field);
        var words = value is JsonValue v && v.TryGetValue(out string? text)
            ? text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : RecordFields.Strings(r, field);
        if (words.Count == 0) throw new UserError($"{RecordFields.Where(r, field)}: the sentence has no words");
        for (int i = 0; i < words.Count; i++)
            if (words[i].Length == 0 || words[i].Any(char.IsWhiteSpace))
                throw new UserError($"{RecordFields.Where(r, field)}[{i}]: a word must be non-empty and contain no whitespace, got '{words[i]}'");
        return words;
    }

    private protected override IReadOnlyList<JsonObject> PredictBatch(IReadOnlyList<DataRecord> records)
    {
        var alignments = records.Select(r => WordAlignment.Align(Classifier.Tokenizer, Words(r), Classifier.MaxLength)).ToList();
        var (best, T) = Classifier.TokenLabels(alignments.Select(a => a.Ids).ToList());
        var rows = new List<JsonObject>(records.Count);
        for (int b = 0; b < records.Count; b++)
        {
            var tags = alignments[b].FirstToken.Select(t => (JsonNode)(t >= 0 ? Labels.Names[(int)best[b * T + t]] : "O")).ToArray();
            rows.Add(new JsonObject { ["predicted_tags"] = new JsonArray(tags) });
        }
        return rows;
    }
}
