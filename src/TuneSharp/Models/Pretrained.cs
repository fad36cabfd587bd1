using TorchSharp;
using TuneSharp.Adapters.PromptTuning;
using TuneSharp.IO;
using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Models;

/// <summary>
/// Loads and saves Hugging Face model folders (config.json + safetensors weights), strictly:
/// every key must match, shapes must agree, and tensors are copied one at a time into the model.
/// </summary>
public static class Pretrained
{
    /// <summary>Files besides the weights that a model folder carries over when saved.</summary>
    public static readonly string[] SideFiles =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "generation_config.json", "vocab.txt"];

    /// <summary>Reads <c>DIR/config.json</c>; a missing folder is a user error naming it.</summary>
    public static ConfigJson Config(string dir)
    {
        if (!Directory.Exists(dir)) throw new UserError($"{dir}: model folder not found");
        return ConfigJson.Load(Path.Combine(dir, "config.json"));
    }

    /// <summary>Loads a causal LM (llama, mistral, qwen2, gpt2) in eval mode.</summary>
    public static ICausalLM LoadCausalLM(string dir, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
        LoadCausalLM(dir, Config(dir), device, dtype);

    /// <summary>Loads a causal LM's weights into a model built from <paramref name="config"/> (e.g. with overridden dropout).</summary>
    public static ICausalLM LoadCausalLM(string dir, ConfigJson config, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        int prompt = PromptTuningModel.SavedPromptLength(config);
        using (var meta = OnMeta(config, () => WithPrompt(ModelFactory.CreateCausalLM(config, META, dtype), prompt))) LoadWeights(meta.Module, dir, meta.TiedKeys, shapesOnly: true);
        var model = ModelFactory.CreateCausalLM(config, device ?? CPU, dtype);
        try
        {
            WithPrompt(model, prompt);
            LoadWeights(model.Module, dir, model.TiedKeys);
            model.Module.eval();
            return model;
        }
        catch { model.Dispose(); throw; }
    }

    // A prompt-tuned folder (config key tunesharp_prompt_tuning) stores its soft prompt with the other weights.
    static ICausalLM WithPrompt(ICausalLM model, int virtualTokens)
    {
        if (virtualTokens > 0) model.AttachPrompt(PromptEmbedding.Like(model.InputEmbeddings, virtualTokens));
        return model;
    }

    /// <summary>
    /// Loads a bare BertModel folder (keys embeddings.*, encoder.*, and pooler.* when the checkpoint has them, as
    /// <c>models import</c> writes) in eval mode.
    /// </summary>
    public static BertModel LoadBertModel(string dir, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var config = Config(dir);
        if (ModelFactory.ModelType(config) != "bert") throw new UserError($"{config.Path}: key 'model_type': a BERT-family encoder is needed here, not '{ModelFactory.ModelType(config)}'");
        var bc = BertConfig.From(config);
        bool hasPooler;
        using (var checkpoint = Checkpoint.Open(dir)) hasPooler = checkpoint.Contains("pooler.dense.weight");
        using (var meta = OnMeta(config, () => new BertModel(bc, META, dtype, addPoolingLayer: hasPooler))) LoadWeights(meta, dir, [], shapesOnly: true);
        var model = new BertModel(bc, device ?? CPU, dtype, addPoolingLayer: hasPooler);
        try
        {
            LoadWeights(model, dir, []);
            model.eval();
            return model;
        }
        catch { model.Dispose(); throw; }
    }

    /// <summary>Loads a BertForSequenceClassification folder in eval mode.</summary>
    public static BertForSequenceClassification LoadBertClassifier(string dir, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var config = Config(dir);
        using (var meta = OnMeta(config, () => ModelFactory.CreateBertClassifier(config, META, dtype))) LoadWeights(meta, dir, [], shapesOnly: true);
        var model = ModelFactory.CreateBertClassifier(config, device ?? CPU, dtype);
        try
        {
            LoadWeights(model, dir, []);
            model.eval();
            return model;
        }
        catch { model.Dispose(); throw; }
    }

    // Building on the meta device reads nothing but config.json, so whatever fails there (a zero head count, a
    // negative size that libtorch refuses) is a mistake in that file, reported as such rather than as a crash.
    static T OnMeta<T>(ConfigJson config, Func<T> build)
    {
        try { return build(); }
        catch (Exception e) when (e is not UserError and (ArithmeticException or ArgumentException or System.Runtime.InteropServices.ExternalException))
        {
            throw new UserError($"{config.Path}: the sizes do not describe a model that can be built ({e.Message.Split('\n')[0].Trim()})", e);
        }
    }

    /// <summary>
    /// Strict load. A tied key (lm_head.weight) is absent from the module; some checkpoints still store it,
    /// and transformers then ignores it, so it is tolerated as the only unexpected key. With
    /// <paramref name="shapesOnly"/> nothing is read: loaders first check a model built on the meta device, so that a
    /// config.json whose sizes disagree with the weights fails before memory sized by its numbers is allocated.
    /// </summary>
    public static LoadReport LoadWeights(nn.Module module, string dir, IReadOnlyCollection<string> tiedKeys, bool shapesOnly = false)
    {
        using var checkpoint = Checkpoint.Open(dir);
        bool storesTied = tiedKeys.Any(checkpoint.Contains);
        if (!storesTied) return StateDictLoader.Load(module, checkpoint, strict: true, shapesOnly: shapesOnly);
        var report = StateDictLoader.Load(module, checkpoint, strict: false, shapesOnly: shapesOnly);
        if (report.Missing.Count > 0)
            throw new UserError($"{checkpoint.Source}: tensor '{report.Missing[0]}' is missing: the model has it, the checkpoint does not");
        var extra = report.Unexpected.Where(k => !tiedKeys.Contains(k)).ToList();
        if (extra.Count > 0)
            throw new UserError($"{checkpoint.FileOf(extra[0])}: tensor '{extra[0]}' is unexpected: the model has no parameter or buffer of that name");
        return report;
    }

    /// <summary>
    /// Saves weights (and config.json, plus the tokenizer and other side files from <paramref name="sideFilesFrom"/>)
    /// as a Hugging Face folder, atomically: a temp folder is filled, then renamed over <paramref name="dir"/>.
    /// </summary>
    public static void Save(string dir, nn.Module module, ConfigJson config, string? sideFilesFrom = null,
        long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes, ScalarType? dtype = null)
    {
        AtomicFolder.Write(dir, tmp =>
        {
            var state = module.state_dict();
            CheckpointWriter.Save(tmp, state, maxShardBytes, dtype);
            File.WriteAllText(Path.Combine(tmp, "config.json"), config.Root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            if (sideFilesFrom is not null)
                foreach (var name in SideFiles)
                {
                    var src = Path.Combine(sideFilesFrom, name);
                    if (File.Exists(src)) File.Copy(src, Path.Combine(tmp, name));
                }
        });
    }
}
