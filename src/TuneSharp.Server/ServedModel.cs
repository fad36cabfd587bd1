using TuneSharp.Generation;
using TuneSharp.Inference;
using TuneSharp.Models;
using TuneSharp.Runtime;
using TuneSharp.Templates;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Server;

/// <summary>
/// What the server holds: one model folder loaded once, either a causal LM (with its LoRA adapters), a sequence
/// classifier, or a sentence encoder (a BertModel folder such as `models import minilm` writes: /v1/embeddings
/// with the folder's own pooling), its tokenizer and chat template. Only the inference worker touches the model.
/// </summary>
public sealed class ServedModel : IDisposable
{
    ServedModel(string id, HfTokenizer tokenizer, ICausalLM? lm, LoadedClassifier? classifier, AdapterSwitcher? adapters,
        SentenceEncoder? encoder = null)
    {
        Encoder = encoder;
        Id = id;
        Tokenizer = tokenizer;
        CausalLM = lm;
        Classifier = classifier;
        Adapters = adapters;
        Template = tokenizer.ChatTemplate is { } source ? new ChatTemplate(source) : null;
        ContextLength = lm?.Info.MaxPositionEmbeddings ?? classifier?.MaxLength ?? encoder!.MaxLength;
    }

    /// <summary>The base model's id (the folder name unless given).</summary>
    public string Id { get; }
    /// <summary>The folder's tokenizer.</summary>
    public HfTokenizer Tokenizer { get; }
    /// <summary>The causal LM, or null for a classifier folder.</summary>
    public ICausalLM? CausalLM { get; }
    /// <summary>The classifier, or null for a causal LM folder.</summary>
    public LoadedClassifier? Classifier { get; }
    /// <summary>The sentence encoder of an encoder folder, or null.</summary>
    public SentenceEncoder? Encoder { get; }
    /// <summary>LoRA adapters over the causal LM (null when none).</summary>
    public AdapterSwitcher? Adapters { get; }
    /// <summary>The tokenizer's chat template, if it has one.</summary>
    public ChatTemplate? Template { get; }
    /// <summary>Longest sequence the model takes (prompt + completion).</summary>
    public int ContextLength { get; }

    /// <summary>Every id a request may name: the base model, then the adapters.</summary>
    public IReadOnlyList<string> ModelIds => [Id, .. Adapters?.Names.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>()];

    /// <summary>Loads the folder (and adapters) named in <paramref name="options"/>.</summary>
    public static ServedModel Load(ServeOptions options)
    {
        var dir = options.ModelDir;
        var config = Pretrained.Config(dir);
        var id = options.ModelId ?? new DirectoryInfo(Path.GetFullPath(dir)).Name;
        var device = DeviceSelection.Resolve(options.Device);
        bool multiTask = Models.Heads.MultiTaskHeadSpec.FromConfig(config) is not null;
        if (options.Head is not null && !multiTask) throw new UserError($"--head: {dir} is not a multi-task model; drop --head '{options.Head}'");
        if (ClassifierLoader.IsSequenceClassifier(config) || multiTask)
        {
            if (options.Adapters.Count > 0) throw new UserError("--adapter: adapters are served over causal LMs only; this folder is a classifier");
            var classifier = ClassifierLoader.Load(dir, ClassifierLoader.SequenceTask, device, head: options.Head);
            return new ServedModel(id, classifier.Tokenizer, null, classifier, null);
        }
        if (!ModelFactory.IsCausal(ModelFactory.ModelType(config)))
        {
            if (options.Adapters.Count > 0) throw new UserError("--adapter: adapters are served over causal LMs only; this folder is an encoder");
            var encoder = SentenceEncoder.Load(dir, device);
            return new ServedModel(id, encoder.Tokenizer, null, null, null, encoder);
        }
        var tokenizer = HfTokenizer.Load(dir);
        var lm = Pretrained.LoadCausalLM(dir, device);
        try
        {
            // The continuous batcher's slot cache counts each request's own tokens; a soft prompt would need slots of its own.
            if (lm.Prompt is not null)
                throw new UserError($"{dir}: a prompt-tuned model (config.json key '{TuneSharp.Adapters.PromptTuning.PromptTuningModel.ModelConfigKey}') cannot be served yet; use `tunesharp generate` or `predict`");
            if (options.Adapters.ContainsKey(id)) throw new UserError($"--adapter: the name '{id}' is the base model's id; pick another");
            var adapters = options.Adapters.Count > 0 ? new AdapterSwitcher(lm, dir, options.Adapters) : null;
            return new ServedModel(id, tokenizer, lm, null, adapters);
        }
        catch { lm.Dispose(); throw; }
    }

    /// <summary>The causal LM for a request naming <paramref name="model"/>, with its adapter active (worker thread only).</summary>
    public ICausalLM Activate(string model)
    {
        var lm = CausalLM ?? throw new InvalidOperationException("not a causal LM");
        Adapters?.Activate(string.Equals(model, Id, StringComparison.Ordinal) ? null : model);
        return lm;
    }

    /// <summary>
    /// An encoder folder's own sentence embedding (sentence-transformers pooling), else the mean of the causal LM's
    /// last hidden states over each input's tokens (B, C); see <see cref="MeanEmbeddings"/>. Worker thread only.
    /// </summary>
    public IReadOnlyList<float[]> Embed(string model, IReadOnlyList<IReadOnlyList<int>> inputs) =>
        Encoder is not null ? Encoder.EmbedIds(inputs) : MeanEmbeddings.Of(Activate(model), inputs);

    /// <summary>Runs a text completion batch for <paramref name="model"/> (worker thread only).</summary>
    public IReadOnlyList<CompletionOutput> Complete(string model, IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options, Action<TextChunk>? onChunk, CancellationToken cancel) =>
        TextCompletion.Complete(Activate(model), Tokenizer, prompts, options, onChunk, cancel);

    /// <summary>Each prompt token's log-probability under <paramref name="model"/> (first null); worker thread only.</summary>
    public IReadOnlyList<TokenLogprob?> PromptLogprobs(string model, IReadOnlyList<int> prompt, int topK) =>
        Generation.PromptLogprobs.Of(Activate(model), prompt, topK);

    public void Dispose()
    {
        Adapters?.Dispose();
        CausalLM?.Dispose();
        Classifier?.Dispose();
        Encoder?.Dispose();
    }
}
