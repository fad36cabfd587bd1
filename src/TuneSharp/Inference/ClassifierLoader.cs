using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Models;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// A classifier folder loaded for inference (predict, eval, serve): the model in eval mode with its head, the
/// tokenizer, the label names (config.json id2label) and how long an input may be.
/// </summary>
public sealed class LoadedClassifier : IDisposable
{
    internal LoadedClassifier(IClassifierModel model, HfTokenizer tokenizer, LabelSet labels, bool multiLabel, int padId, int maxLength, Device device)
    {
        Model = model;
        Tokenizer = tokenizer;
        Labels = labels;
        MultiLabel = multiLabel;
        PadId = padId;
        MaxLength = maxLength;
        Device = device;
    }

    /// <summary>Body and head with Hugging Face keys, in eval mode.</summary>
    public IClassifierModel Model { get; }

    /// <summary>The folder's tokenizer.</summary>
    public HfTokenizer Tokenizer { get; }

    /// <summary>Class (or tag) names in index order.</summary>
    public LabelSet Labels { get; }

    /// <summary>problem_type multi_label_classification: independent sigmoid scores.</summary>
    public bool MultiLabel { get; }

    /// <summary>The id that pads shorter rows of a batch.</summary>
    public int PadId { get; }

    /// <summary>
    /// The tokens an input may have: the requested length, capped by what the model can read (config.json's
    /// max_position_embeddings or n_positions, and the tokenizer's model_max_length), as pipelines truncate.
    /// </summary>
    public int MaxLength { get; }

    /// <summary>Where the model lives.</summary>
    public Device Device { get; }

    /// <summary>
    /// Sequence classifiers: (B × num_labels) probabilities, row-major, for right-padded rows: softmax, or per-label
    /// sigmoid for a multi-label model. <paramref name="typeIds"/> (BERT text pairs) may be null.
    /// </summary>
    public float[] Probabilities(IReadOnlyList<int[]> ids, IReadOnlyList<int[]>? typeIds = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = Rows.Pad(ids, PadId, Device);                                     // (B, T)
        var mask = Rows.Mask(ids, Device);                                            // (B, T)
        var logits = (Model, typeIds) switch
        {
            (BertSequenceClassifier bert, not null) => bert.Model.Forward(input, mask, Rows.Pad(typeIds, 0, Device)),
            (MultiTaskHead head, not null) => head.Logits(input, mask, Rows.Pad(typeIds, 0, Device)),
            _ => Model.Logits(input, mask),                                           // (B, L)
        };
        logits = logits.to_type(ScalarType.Float32);
        return (MultiLabel ? logits.sigmoid() : logits.softmax(-1)).cpu().data<float>().ToArray();
    }

    /// <summary>Per text, one probability per label (label order). Texts are tokenized as in training and right-padded.</summary>
    public IReadOnlyList<double[]> Classify(IReadOnlyList<IReadOnlyList<int>> encoded)
    {
        var probs = Probabilities(encoded.Select(e => e.ToArray()).ToList());
        int L = Labels.Count;
        return Enumerable.Range(0, encoded.Count).Select(b => probs.AsSpan(b * L, L).ToArray().Select(p => (double)p).ToArray()).ToList();
    }

    /// <summary>Texts (and text pairs) tokenized as training did: truncated to <see cref="MaxLength"/>, not padded.</summary>
    public BatchEncoding Encode(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs = null) =>
        Tokenizer.EncodeBatch(texts, pairs, new EncodeOptions { Padding = Tokenization.Padding.None, Truncation = true, MaxLength = MaxLength });

    /// <summary>Probabilities per text (label order), tokenized as training did and truncated to <see cref="MaxLength"/>, in batches.</summary>
    public IReadOnlyList<double[]> ClassifyTexts(IReadOnlyList<string> texts, int batchSize = 32)
    {
        var result = new List<double[]>(texts.Count);
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            var batch = texts.Skip(start).Take(batchSize).ToList();
            var enc = Encode(batch);
            var probs = Probabilities(enc.InputIds, enc.TokenTypeIds);
            for (int b = 0; b < batch.Count; b++) result.Add(probs.AsSpan(b * Labels.Count, Labels.Count).ToArray().Select(p => (double)p).ToArray());
        }
        return result;
    }

    /// <summary>
    /// Token classifiers: the most probable label index of every token of right-padded rows, row-major (B × T, T the
    /// longest row), and T.
    /// </summary>
    public (long[] Best, int Width) TokenLabels(IReadOnlyList<int[]> ids)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var argmax = Model.Logits(Rows.Pad(ids, PadId, Device), Rows.Mask(ids, Device)).argmax(-1).cpu();   // (B, T)
        return (argmax.data<long>().ToArray(), (int)argmax.shape[1]);
    }

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Loads a classifier folder saved by training (or by transformers) for inference: the one loader behind
/// <c>predict</c>, <c>eval</c> and the server's <c>/v1/classify</c>.
/// </summary>
public static class ClassifierLoader
{
    /// <summary>The task names of the two classifier kinds.</summary>
    public const string SequenceTask = "sequence-classification", TokenTask = "token-classification";

    /// <summary>True when config.json's architectures name a *ForSequenceClassification class.</summary>
    public static bool IsSequenceClassifier(ConfigJson config) =>
        config.Root["architectures"] is JsonArray a
        && a.Any(n => n?.GetValueKind() == JsonValueKind.String
            && n.GetValue<string>().EndsWith("ForSequenceClassification", StringComparison.Ordinal));

    /// <summary>
    /// Builds the <paramref name="task"/> classifier for <paramref name="dir"/>'s model type and loads body and head
    /// (a prediction with a random head is never silently made), then eval mode. The token embeddings grow to the
    /// larger of config.json's and the tokenizer's vocabulary; inputs are capped at <paramref name="maxLength"/> and
    /// the model's positions. A folder without id2label or a head for its labels is a <see cref="UserError"/>.
    /// </summary>
    /// <param name="dir">The model folder.</param>
    /// <param name="task">sequence-classification or token-classification.</param>
    /// <param name="device">Where to load it (default CPU).</param>
    /// <param name="maxLength">Tokens per input at most.</param>
    /// <param name="head">The head of a multi-task model folder (required there; an error elsewhere).</param>
    public static LoadedClassifier Load(string dir, string task = SequenceTask, Device? device = null, int maxLength = int.MaxValue, string? head = null)
    {
        var config = Pretrained.Config(dir);
        if (MultiTaskHeadSpec.FromConfig(config) is { } heads) return LoadHead(dir, config, heads, task, device ?? CPU, maxLength, head);
        if (head is not null) throw new UserError($"--head: {dir} has one head, not a multi-task model; drop --head '{head}'");
        var labels = new LabelSet(LabelSet.FromConfig(config.Root)
            ?? throw new UserError($"{config.Path}: no id2label: not a {task} model (train one with `tunesharp train`)"));
        var tokenizer = HfTokenizer.Load(dir);
        int vocab = Math.Max(config.Int("vocab_size"), tokenizer.VocabSize);
        int padId = TaskModelSetup.PadId(config, tokenizer);
        int cap = Cap(config, tokenizer, maxLength);
        var dev = device ?? CPU;
        var model = task switch
        {
            SequenceTask => Classifiers.Sequence(config, labels.Names, padId, dev),
            TokenTask => Classifiers.Token(config, labels.Names, dev),
            _ => throw new ArgumentException($"not a classifier task: {task}", nameof(task)),
        };
        try
        {
            // The prompt's n virtual tokens take the first n positions.
            cap = Math.Min(cap, (config.IntOrNull("max_position_embeddings") ?? int.MaxValue) - AttachPrompt(config, model));
            if (!HeadCheckpoint.Load(model, dir, loadHead: true))
                throw new UserError($"{dir}: the checkpoint has no {task} head ({string.Join(", ", model.HeadKeys)}) for its {model.NumLabels} labels");
            model.ResizeTokenEmbeddings(vocab);
            model.Module.eval();
            bool multi = config.String("problem_type") == "multi_label_classification";
            return new LoadedClassifier(model, tokenizer, labels, multi, padId, cap, dev);
        }
        catch { model.Dispose(); throw; }
    }

    /// <summary>A prompt-tuned folder (config key tunesharp_prompt_tuning): its soft prompt, loaded with the other weights.</summary>
    static int AttachPrompt(ConfigJson config, IClassifierModel model)
    {
        int n = Adapters.PromptTuning.PromptTuningModel.SavedPromptLength(config);
        if (n == 0) return 0;
        if (model.Module is not Models.Bert.BertForSequenceClassification bert)
            throw new UserError($"{config.Path}: key '{Adapters.PromptTuning.PromptTuningModel.ModelConfigKey}': prompt-tuned classifiers are BERT sequence classifiers only");
        bert.bert.AttachPrompt(Adapters.PromptTuning.PromptEmbedding.Like(bert.bert.embeddings.word_embeddings.weight!, n));
        return n;
    }

    /// <summary>An input's token limit: the requested length, capped by the model's positions and the tokenizer's model_max_length.</summary>
    static int Cap(ConfigJson config, HfTokenizer tokenizer, int maxLength)
    {
        int positions = config.IntOrNull("max_position_embeddings") ?? config.IntOrNull("n_positions") ?? int.MaxValue;
        return Math.Min(maxLength, Math.Min(positions, tokenizer.ModelMaxLength > 0 ? tokenizer.ModelMaxLength : int.MaxValue));
    }

    /// <summary>
    /// One head of a multi-task folder: the shared encoder and every head are loaded (all must be present), and the
    /// chosen head is served. An unknown or missing head, or one of another task, is one error line listing the heads.
    /// </summary>
    static LoadedClassifier LoadHead(string dir, ConfigJson config, IReadOnlyList<MultiTaskHeadSpec> heads, string task, Device device, int maxLength, string? head)
    {
        string list = string.Join(", ", heads.Select(h => $"{h.Name} ({h.Task})"));
        if (head is null) throw new UserError($"{dir}: a multi-task model: pick a head with --head NAME (heads: {list})");
        var spec = heads.FirstOrDefault(h => h.Name == head) ?? throw new UserError($"--head: '{head}' is not a head of {dir} (heads: {list})");
        if (spec.Task != task) throw new UserError($"--head: '{head}' is a {spec.Task} head, not {task} (heads: {list})");
        var tokenizer = HfTokenizer.Load(dir);
        int vocab = Math.Max(config.Int("vocab_size"), tokenizer.VocabSize);
        bool pooler = heads.Any(h => h.Pooling == SequencePooling.Pooler);
        var model = new MultiTaskModel(Models.Bert.BertConfig.From(config), pooler, device);
        try
        {
            foreach (var h in heads) model.AddHead(h);
            var loaded = model.Load(dir, _ => true);
            if (heads.FirstOrDefault(h => !loaded.Contains(h.Name)) is { } missing)
                throw new UserError($"{dir}: the checkpoint has no weights for head '{missing.Name}' (heads.{missing.Name}.weight/bias for {missing.Labels.Count} labels)");
            if (vocab > config.Int("vocab_size")) model.bert.ResizeTokenEmbeddings(vocab);
            model.eval();
            return new LoadedClassifier(new MultiTaskHead(model, head, ownsModel: true), tokenizer, new LabelSet(spec.Labels), false,
                TaskModelSetup.PadId(config, tokenizer), Cap(config, tokenizer, maxLength), device);
        }
        catch { model.Dispose(); throw; }
    }
}
