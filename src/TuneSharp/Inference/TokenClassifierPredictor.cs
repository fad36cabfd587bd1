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
/// Token classification on unlabeled records: the words (the tokens field, a list of words, or a string split on
/// whitespace) are aligned to sub-word tokens as training aligned them (<see cref="WordAlignment"/>), and each
/// record gets <c>predicted_tags</c>, one tag per word: the argmax at the word's first sub-token, "O" for words
/// cut off by max_length (as <see cref="TokenClassificationTask"/> predicts them).
/// </summary>
public sealed class TokenClassifierPredictor : IPredictor
{
    readonly LoadedClassifier classifier;
    readonly PredictOptions options;

    /// <summary>The tag names in index order (the model's id2label).</summary>
    public LabelSet Labels => classifier.Labels;

    /// <inheritdoc/>
    public string Task => ClassifierLoader.TokenTask;

    /// <summary>Loads the token classifier in <see cref="PredictOptions.ModelDir"/> on <paramref name="device"/> in eval mode.</summary>
    public TokenClassifierPredictor(PredictOptions options, Device device)
    {
        this.options = options;
        classifier = ClassifierLoader.Load(options.ModelDir, Task, device, options.MaxLength);
    }

    /// <summary>The words of a record: a list of strings, or a string split on whitespace.</summary>
    public IReadOnlyList<string> Words(DataRecord r)
    {
        var field = options.Fields.Tokens;
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

    /// <inheritdoc/>
    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<DataRecord> records)
    {
        if (records.Count == 0) return [];
        var alignments = records.Select(r => WordAlignment.Align(classifier.Tokenizer, Words(r), classifier.MaxLength)).ToList();
        var ids = alignments.Select(a => a.Ids).ToList();
        var device = classifier.Device;
        long[] best;
        long T;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var argmax = classifier.Model.Logits(Rows.Pad(ids, classifier.PadId, device), Rows.Mask(ids, device)).argmax(-1).cpu();   // (B, T)
            T = argmax.shape[1];
            best = argmax.data<long>().ToArray();
        }
        var rows = new List<JsonObject>(records.Count);
        for (int b = 0; b < records.Count; b++)
        {
            var tags = alignments[b].FirstToken.Select(t => (JsonNode)(t >= 0 ? Labels.Names[(int)best[b * T + t]] : "O")).ToArray();
            rows.Add(new JsonObject { ["predicted_tags"] = new JsonArray(tags) });
        }
        return rows;
    }

    /// <inheritdoc/>
    public void Dispose() => classifier.Dispose();
}
