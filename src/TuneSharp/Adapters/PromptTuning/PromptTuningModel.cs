using TorchSharp;
using TuneSharp.IO;
using TuneSharp.Models.Bert;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Adapters.PromptTuning;

/// <summary>
/// Prompt tuning (Lester et al. 2021) of a BERT sequence classifier in PEFT's format: a soft prompt prepended to
/// every input (positions 0..n-1, token type 0, always attended), the encoder frozen, only the prompt and the new
/// classification head train. As PEFT's PeftModelForSequenceClassification: the head reads the sequence with the
/// prompt in it (the pooler's first position is the first virtual token; mean pooling averages over it too).
/// Saved as PEFT saves it: adapter_config.json, and adapter_model.safetensors holding prompt_embeddings (n, C) and
/// the head under base_model.&lt;module&gt;.* (modules to save).
/// </summary>
public sealed class PromptTuningModel
{
    /// <summary>The weights file PEFT writes.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>PEFT's key of the prompt in the adapter file.</summary>
    public const string PromptKey = "prompt_embeddings";

    /// <summary>PEFT's prefix of a module to save (a prompt-learning PeftModel wraps the model directly).</summary>
    public const string SavedModulePrefix = "base_model.";

    PromptTuningModel(BertForSequenceClassification model, PromptTuningConfig config)
    {
        Model = model;
        Config = config;
    }

    /// <summary>The classifier the prompt serves.</summary>
    public BertForSequenceClassification Model { get; }

    /// <summary>The adapter's config.</summary>
    public PromptTuningConfig Config { get; }

    /// <summary>The soft prompt.</summary>
    public PromptEmbedding Prompt => Model.bert.prompt_encoder!;

    /// <summary>
    /// Adds a freshly initialised prompt to <paramref name="model"/> and freezes everything but the prompt and the
    /// classification head. <paramref name="tokenizer"/> encodes prompt_tuning_init_text for TEXT; RANDOM and
    /// SAMPLE_VOCAB draw from torch's global generator (seed it first).
    /// </summary>
    public static PromptTuningModel Apply(BertForSequenceClassification model, PromptTuningConfig config, HfTokenizer tokenizer)
    {
        config = Complete(config, model);
        config.Validate("method.prompt_tuning");
        var words = model.bert.embeddings.word_embeddings.weight!;                                    // (V, C)
        var prompt = PromptEmbedding.Like(words, config.num_virtual_tokens);
        using (no_grad())
        {
            if (config.prompt_tuning_init == "TEXT")
                prompt.Vectors.copy_(words.index_select(0, tensor(TextTokenIds(config, tokenizer), device: words.device)));
            else if (config.prompt_tuning_init == "SAMPLE_VOCAB")
                prompt.Vectors.copy_(words.index_select(0, randint(0, words.shape[0], [config.num_virtual_tokens], device: words.device)));
        }
        model.bert.AttachPrompt(prompt);
        foreach (var (name, p) in model.named_parameters())
            p.requires_grad = name.StartsWith("bert.prompt_encoder.", StringComparison.Ordinal) || name.StartsWith("classifier.", StringComparison.Ordinal);
        return new PromptTuningModel(model, config);
    }

    /// <summary>
    /// PEFT's TEXT initialisation: the text's token ids (with the tokenizer's special tokens, as PEFT calls the
    /// tokenizer), repeated until there are enough, then cut to num_virtual_tokens.
    /// </summary>
    public static long[] TextTokenIds(PromptTuningConfig config, HfTokenizer tokenizer)
    {
        var ids = tokenizer.Encode(config.prompt_tuning_init_text!);
        if (ids.Count == 0) throw new UserError("method.prompt_tuning: key 'prompt_tuning_init_text': encodes to no tokens");
        return Enumerable.Range(0, config.num_virtual_tokens).Select(i => (long)ids[i % ids.Count]).ToArray();
    }

    /// <summary>Writes the adapter in PEFT's format to <paramref name="dir"/>, atomically.</summary>
    public void Save(string dir)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [PromptKey] = Prompt.Vectors };
        foreach (var (name, t) in Model.classifier.state_dict()) tensors[$"{SavedModulePrefix}classifier.{name}"] = t;
        AtomicFolder.Write(dir, tmp =>
        {
            SafetensorsWriter.Write(Path.Combine(tmp, WeightsFileName), tensors,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" });
            (Config with { inference_mode = true }).Write(Path.Combine(tmp, PromptTuningConfig.FileName));
        });
    }

    /// <summary>
    /// Loads a PEFT prompt-tuning adapter folder into <paramref name="model"/>, strictly: prompt_embeddings must be
    /// (num_virtual_tokens, hidden_size), every other tensor must be the head's, and the model is frozen.
    /// </summary>
    public static PromptTuningModel Load(BertForSequenceClassification model, string dir)
    {
        if (!Directory.Exists(dir)) throw new UserError($"{dir}: adapter folder not found");
        var config = PromptTuningConfig.Read(Path.Combine(dir, PromptTuningConfig.FileName));
        using var file = SafetensorsFile.Open(Path.Combine(dir, WeightsFileName));
        long dim = model.Config.hidden_size;
        if (!file.Contains(PromptKey)) throw new UserError($"{file.Path}: tensor '{PromptKey}' is missing");
        var shape = file[PromptKey].Shape;
        if (!shape.SequenceEqual(new long[] { config.num_virtual_tokens, dim }))
            throw new UserError($"{file.Path}: tensor '{PromptKey}' has shape {file[PromptKey].ShapeText}, the model expects [{config.num_virtual_tokens}, {dim}]");
        // Every other tensor must be one of the head's: base_model.classifier.<name>, with the head's shape.
        var head = model.classifier.state_dict();
        const string headPrefix = SavedModulePrefix + "classifier.";
        var headTensors = new List<(string Key, Tensor Target)>();
        foreach (var info in file.Tensors.Where(t => t.Name != PromptKey))
        {
            string name = info.Name.StartsWith(headPrefix, StringComparison.Ordinal) ? info.Name[headPrefix.Length..] : "";
            if (!head.TryGetValue(name, out var target)) throw new UserError($"{file.Path}: tensor '{info.Name}' belongs to no module of a prompt-tuned classifier");
            if (!info.Shape.SequenceEqual(target.shape))
                throw new UserError($"{file.Path}: tensor '{info.Name}' has shape {info.ShapeText}, the model expects {SafetensorsTensorInfo.FormatShape(target.shape)}");
            headTensors.Add((info.Name, target));
        }
        var prompt = PromptEmbedding.Like(model.bert.embeddings.word_embeddings.weight!, config.num_virtual_tokens);
        using (no_grad())
        {
            file.ReadInto(PromptKey, prompt.Vectors);
            foreach (var (key, target) in headTensors) file.ReadInto(key, target);
        }
        model.bert.AttachPrompt(prompt);
        foreach (var p in model.parameters()) p.requires_grad = false;
        return new PromptTuningModel(model, config);
    }

    // The keys PEFT fills from the model (token_dim, heads, layers) and the head it saves.
    static PromptTuningConfig Complete(PromptTuningConfig config, BertForSequenceClassification model) => config with
    {
        token_dim = (int)model.Config.hidden_size,
        num_attention_heads = model.Config.num_attention_heads,
        num_layers = model.Config.num_hidden_layers,
        modules_to_save = ["classifier"],
    };
}
