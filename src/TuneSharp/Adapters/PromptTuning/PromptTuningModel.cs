using TorchSharp;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Gpt2;
using TuneSharp.Models.Llama;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Adapters.PromptTuning;

/// <summary>
/// Prompt tuning (Lester et al. 2021) in PEFT's format, on a BERT sequence classifier (SEQ_CLS) or a decoder-only
/// causal LM (CAUSAL_LM): a soft prompt prepended to every input, the model frozen, only the prompt trains (and, for
/// SEQ_CLS, the new classification head). On BERT, as PEFT's PeftModelForSequenceClassification: positions 0..n-1,
/// token type 0, always attended, and the head reads the sequence with the prompt in it (the pooler's first position
/// is the first virtual token; mean pooling averages over it too). On a decoder, as PeftModelForCausalLM: the prompt
/// takes positions 0..n-1 and every token attends to it (<see cref="DecoderPromptInput"/>).
/// Saved as PEFT saves it: adapter_config.json, and adapter_model.safetensors holding prompt_embeddings (n, C) and,
/// for SEQ_CLS, the head under base_model.&lt;module&gt;.* (modules to save).
/// </summary>
public sealed class PromptTuningModel
{
    /// <summary>The weights file PEFT writes.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>PEFT's key of the prompt in the adapter file.</summary>
    public const string PromptKey = "prompt_embeddings";

    /// <summary>PEFT's prefix of a module to save (a prompt-learning PeftModel wraps the model directly).</summary>
    public const string SavedModulePrefix = "base_model.";

    /// <summary>
    /// config.json key of a TuneSharp model folder whose weights include the prompt (key prompt_encoder.embedding.weight):
    /// { "num_virtual_tokens": n }. TuneSharp's loaders rebuild the prompt from it; transformers ignores both.
    /// </summary>
    public const string ModelConfigKey = "tunesharp_prompt_tuning";

    const string HeadName = "classifier";

    readonly nn.Module? head; // SEQ_CLS: the classification head saved beside the prompt; CAUSAL_LM: none

    PromptTuningModel(PromptEmbedding prompt, PromptTuningConfig config, nn.Module? head)
    {
        Prompt = prompt;
        Config = config;
        this.head = head;
    }

    /// <summary>The adapter's config.</summary>
    public PromptTuningConfig Config { get; }

    /// <summary>The soft prompt.</summary>
    public PromptEmbedding Prompt { get; }

    /// <summary>
    /// Adds a freshly initialised prompt to <paramref name="model"/> and freezes everything but the prompt and the
    /// classification head. <paramref name="tokenizer"/> encodes prompt_tuning_init_text for TEXT; RANDOM and
    /// SAMPLE_VOCAB draw from torch's global generator (seed it first).
    /// </summary>
    public static PromptTuningModel Apply(BertForSequenceClassification model, PromptTuningConfig config, HfTokenizer tokenizer)
    {
        config = config with
        {
            task_type = "SEQ_CLS",
            token_dim = (int)model.Config.hidden_size,
            num_attention_heads = model.Config.num_attention_heads,
            num_layers = model.Config.num_hidden_layers,
            modules_to_save = [HeadName],
        };
        var prompt = Initialised(model.bert.embeddings.word_embeddings.weight!, config, tokenizer, "method.prompt_tuning");
        model.bert.AttachPrompt(prompt);
        foreach (var (name, p) in model.named_parameters())
            p.requires_grad = name.StartsWith("bert.prompt_encoder.", StringComparison.Ordinal) || name.StartsWith(HeadName + ".", StringComparison.Ordinal);
        return new PromptTuningModel(prompt, config, model.classifier);
    }

    /// <summary>
    /// Adds a freshly initialised prompt to a decoder-only <paramref name="model"/> (PEFT's CAUSAL_LM) and freezes
    /// everything else; initialisation as for the classifier.
    /// </summary>
    public static PromptTuningModel Apply(ICausalLM model, PromptTuningConfig config, HfTokenizer tokenizer)
    {
        if (model.Prompt is not null)
            throw new UserError($"model: already prompt-tuned (config.json key '{ModelConfigKey}'); prompt-tune the base model it came from");
        config = config with
        {
            task_type = "CAUSAL_LM",
            token_dim = model.Info.HiddenSize,
            num_attention_heads = model switch { LlamaForCausalLM l => l.Config.num_attention_heads, Gpt2LMHeadModel g => g.Config.n_head, _ => 0 },
            num_layers = model.Info.NumLayers,
            modules_to_save = null,
        };
        var prompt = Initialised(model.InputEmbeddings, config, tokenizer, "method.prompt_tuning");
        if (prompt.Count >= model.Info.MaxPositionEmbeddings)
            throw new UserError($"method.prompt_tuning: key 'num_virtual_tokens': {prompt.Count} virtual tokens leave no room in the model's {model.Info.MaxPositionEmbeddings} positions");
        model.AttachPrompt(prompt);
        foreach (var (name, p) in model.Module.named_parameters())
            p.requires_grad = name.StartsWith("prompt_encoder.", StringComparison.Ordinal);
        return new PromptTuningModel(prompt, config, null);
    }

    /// <summary>A prompt shaped like <paramref name="words"/>' rows (V, C), initialised as the config says.</summary>
    static PromptEmbedding Initialised(Tensor words, PromptTuningConfig config, HfTokenizer tokenizer, string where)
    {
        config.Validate(where);
        var prompt = PromptEmbedding.Like(words, config.num_virtual_tokens);
        using (no_grad())
        {
            if (config.prompt_tuning_init == "TEXT")
                prompt.Vectors.copy_(words.index_select(0, tensor(TextTokenIds(config, tokenizer), device: words.device)));
            else if (config.prompt_tuning_init == "SAMPLE_VOCAB")
                prompt.Vectors.copy_(words.index_select(0, randint(0, words.shape[0], [config.num_virtual_tokens], device: words.device)));
        }
        return prompt;
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
        if (head is not null)
            foreach (var (name, t) in head.state_dict()) tensors[$"{SavedModulePrefix}{HeadName}.{name}"] = t;
        AtomicFolder.Write(dir, tmp =>
        {
            SafetensorsWriter.Write(Path.Combine(tmp, WeightsFileName), tensors,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" });
            (Config with { inference_mode = true }).Write(Path.Combine(tmp, PromptTuningConfig.FileName));
        });
    }

    /// <summary>
    /// Loads a PEFT SEQ_CLS prompt-tuning adapter folder into <paramref name="model"/>, strictly: prompt_embeddings must
    /// be (num_virtual_tokens, hidden_size), every other tensor must be the head's, and the model is frozen.
    /// </summary>
    public static PromptTuningModel Load(BertForSequenceClassification model, string dir)
    {
        var (config, file) = Open(dir, "SEQ_CLS", model.Config.hidden_size);
        using (file)
        {
            var prompt = PromptEmbedding.Like(model.bert.embeddings.word_embeddings.weight!, config.num_virtual_tokens);
            ReadInto(file, prompt, model.classifier);
            model.bert.AttachPrompt(prompt);
            foreach (var p in model.parameters()) p.requires_grad = false;
            return new PromptTuningModel(prompt, config, model.classifier);
        }
    }

    /// <summary>
    /// Loads a PEFT CAUSAL_LM prompt-tuning adapter folder into a decoder-only <paramref name="model"/>, strictly:
    /// prompt_embeddings (num_virtual_tokens, hidden_size) and nothing else; the model is frozen.
    /// </summary>
    public static PromptTuningModel Load(ICausalLM model, string dir)
    {
        var (config, file) = Open(dir, "CAUSAL_LM", model.Info.HiddenSize);
        using (file)
        {
            var prompt = PromptEmbedding.Like(model.InputEmbeddings, config.num_virtual_tokens);
            ReadInto(file, prompt, null);
            model.AttachPrompt(prompt);
            foreach (var p in model.Module.parameters()) p.requires_grad = false;
            return new PromptTuningModel(prompt, config, null);
        }
    }

    /// <summary>
    /// The number of virtual tokens a TuneSharp model folder's config.json records under <see cref="ModelConfigKey"/>;
    /// 0 when it has none.
    /// </summary>
    public static int SavedPromptLength(ConfigJson config)
    {
        if (config.Root[ModelConfigKey] is not { } node) return 0;
        return node is System.Text.Json.Nodes.JsonObject o && o["num_virtual_tokens"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out int count) && count > 0
            ? count : throw new UserError($"{config.Path}: key '{ModelConfigKey}.num_virtual_tokens': expected a positive integer");
    }

    static (PromptTuningConfig Config, SafetensorsFile File) Open(string dir, string taskType, long dim)
    {
        if (!Directory.Exists(dir)) throw new UserError($"{dir}: adapter folder not found");
        var configPath = Path.Combine(dir, PromptTuningConfig.FileName);
        var config = PromptTuningConfig.Read(configPath);
        if (config.task_type != taskType)
            throw new UserError($"{configPath}: key 'task_type': a {config.task_type} adapter; this model takes {taskType}");
        var file = SafetensorsFile.Open(Path.Combine(dir, WeightsFileName));
        try
        {
            if (!file.Contains(PromptKey)) throw new UserError($"{file.Path}: tensor '{PromptKey}' is missing");
            var shape = file[PromptKey].Shape;
            if (!shape.SequenceEqual(new long[] { config.num_virtual_tokens, dim }))
                throw new UserError($"{file.Path}: tensor '{PromptKey}' has shape {file[PromptKey].ShapeText}, the model expects [{config.num_virtual_tokens}, {dim}]");
            return (config, file);
        }
        catch { file.Dispose(); throw; }
    }

    // The prompt, and every other tensor into the head (base_model.classifier.<name>, the head's shape); nothing else.
    static void ReadInto(SafetensorsFile file, PromptEmbedding prompt, nn.Module? headModule)
    {
        var head = headModule?.state_dict() ?? new Dictionary<string, Tensor>();
        const string headPrefix = SavedModulePrefix + HeadName + ".";
        var headTensors = new List<(string Key, Tensor Target)>();
        foreach (var info in file.Tensors.Where(t => t.Name != PromptKey))
        {
            string name = info.Name.StartsWith(headPrefix, StringComparison.Ordinal) ? info.Name[headPrefix.Length..] : "";
            if (!head.TryGetValue(name, out var target)) throw new UserError($"{file.Path}: tensor '{info.Name}' belongs to no module of a prompt-tuned model");
            if (!info.Shape.SequenceEqual(target.shape))
                throw new UserError($"{file.Path}: tensor '{info.Name}' has shape {info.ShapeText}, the model expects {SafetensorsTensorInfo.FormatShape(target.shape)}");
            headTensors.Add((info.Name, target));
        }
        using (no_grad())
        {
            file.ReadInto(PromptKey, prompt.Vectors);
            foreach (var (key, target) in headTensors) file.ReadInto(key, target);
        }
    }
}
