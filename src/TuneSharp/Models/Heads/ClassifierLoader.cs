using TuneSharp.Models.Bert;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// A sequence classifier loaded for inference: the model in eval mode, its tokenizer and its label names
/// (config.json id2label), with sigmoid scores for multi-label models and softmax otherwise.
/// </summary>
public sealed class LoadedClassifier : IDisposable
{
    internal LoadedClassifier(IClassifierModel model, HfTokenizer tokenizer, IReadOnlyList<string> labels, bool multiLabel, long padId, int maxLength)
    {
        Model = model;
        Tokenizer = tokenizer;
        Labels = labels;
        MultiLabel = multiLabel;
        PadId = padId;
        MaxLength = maxLength;
    }

    /// <summary>Body and head with Hugging Face keys.</summary>
    public IClassifierModel Model { get; }

    /// <summary>The folder's tokenizer.</summary>
    public HfTokenizer Tokenizer { get; }

    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>problem_type multi_label_classification: independent sigmoid scores.</summary>
    public bool MultiLabel { get; }

    /// <summary>The id that pads shorter rows of a batch.</summary>
    public long PadId { get; }

    /// <summary>Longest input in tokens (max_position_embeddings).</summary>
    public int MaxLength { get; }

    /// <summary>Per text, one probability per label (label order). Texts are tokenized as in training and right-padded.</summary>
    public IReadOnlyList<double[]> Classify(IReadOnlyList<IReadOnlyList<int>> encoded)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int rows = encoded.Count, width = encoded.Max(e => e.Count);
        var ids = new long[rows * width];
        var mask = new long[rows * width];
        for (int b = 0; b < rows; b++)
            for (int t = 0; t < width; t++)
            {
                bool real = t < encoded[b].Count;
                ids[b * width + t] = real ? encoded[b][t] : PadId;
                mask[b * width + t] = real ? 1 : 0;
            }
        var device = Model.Module.parameters().First().device;
        var logits = Model.Logits(tensor(ids, device: device).reshape(rows, width), tensor(mask, device: device).reshape(rows, width)); // (B, L)
        var probs = (MultiLabel ? logits.sigmoid() : logits.softmax(-1)).to_type(ScalarType.Float64).cpu();               // (B, L)
        return Enumerable.Range(0, rows).Select(b => probs[b].data<double>().ToArray()).ToList();
    }

    public void Dispose() => Model.Dispose();
}

/// <summary>Loads a sequence-classification folder saved by training (or by transformers) for inference.</summary>
public static class ClassifierLoader
{
    /// <summary>True when config.json's architectures name a *ForSequenceClassification class.</summary>
    public static bool IsSequenceClassifier(ConfigJson config) =>
        config.Root["architectures"] is System.Text.Json.Nodes.JsonArray a
        && a.Any(n => n?.GetValueKind() == System.Text.Json.JsonValueKind.String
            && n.GetValue<string>().EndsWith("ForSequenceClassification", StringComparison.Ordinal));

    /// <summary>
    /// Builds the classifier for <paramref name="dir"/>'s model type and loads body and head; a folder whose head
    /// is missing or sized for another label count is a user error (it was never trained as a classifier).
    /// </summary>
    public static LoadedClassifier Load(string dir, Device? device = null)
    {
        var config = Pretrained.Config(dir);
        var labels = LabelSet.FromConfig(config.Root)
            ?? throw new UserError($"{config.Path}: no id2label: not a sequence-classification model folder");
        var tokenizer = HfTokenizer.Load(dir);
        long padId = TaskModelSetup.PadId(config, tokenizer);
        var dev = device ?? CPU;
        var model = SequenceClassifiers.Create(config, labels, padId, dev);
        try
        {
            if (!HeadCheckpoint.Load(model, dir, loadHead: true))
                throw new UserError($"{dir}: the checkpoint has no classification head for {labels.Count} labels ({string.Join(", ", model.HeadKeys)})");
            model.Module.eval();
            bool multi = string.Equals(config.String("problem_type"), "multi_label_classification", StringComparison.Ordinal);
            return new LoadedClassifier(model, tokenizer, labels, multi, padId, config.Int("max_position_embeddings", 512));
        }
        catch { model.Dispose(); throw; }
    }
}
