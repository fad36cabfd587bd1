using System.Text.Json.Nodes;
using TuneSharp.Models;
using TuneSharp.Tokenization;

namespace TuneSharp.Tasks;

/// <summary>Steps shared by every task's construction: the tokenizer, new special tokens, the config to save.</summary>
internal static class TaskModelSetup
{
    /// <summary>
    /// The model's config.json with the options' ConfigOverrides applied (like transformers'
    /// from_pretrained(..., hidden_dropout_prob=0.2)); the overrides are saved with the fine-tuned model.
    /// </summary>
    public static ConfigJson Config(string modelDir, TaskOptions options)
    {
        var config = Pretrained.Config(modelDir);
        foreach (var (key, value) in options.ConfigOverrides)
        {
            if (!config.Has(key)) throw new UserError($"{config.Path}: model_config.{key}: the model's config has no key '{key}'");
            config.Root[key] = value?.DeepClone();
        }
        return config;
    }

    /// <summary>
    /// Loads the tokenizer and adds <see cref="TaskOptions.NewSpecialTokens"/>. Returns the vocabulary the model
    /// must have: the larger of the config's vocab_size and the tokenizer's, so the model grows only when the
    /// tokenizer outgrows it (checkpoints often pad vocab_size past the tokenizer).
    /// </summary>
    public static (HfTokenizer Tokenizer, int VocabSize) Tokenizer(string modelDir, ConfigJson config, TaskOptions options)
    {
        var tokenizer = HfTokenizer.Load(modelDir);
        if (options.NewSpecialTokens.Count > 0) tokenizer.AddTokens(options.NewSpecialTokens, special: true);
        return (tokenizer, Math.Max(config.Int("vocab_size"), tokenizer.VocabSize));
    }

    /// <summary>A copy of the source config.json for saving, with the vocabulary size and (when given) the architecture updated.</summary>
    public static JsonObject SavedConfig(ConfigJson source, int vocabSize, string? architecture)
    {
        var config = (JsonObject)source.Root.DeepClone();
        config["vocab_size"] = vocabSize;
        if (architecture is not null) config["architectures"] = new JsonArray(architecture);
        return config;
    }

    /// <summary>The pad id for batches: config pad_token_id, else the tokenizer's pad token, else EOS (as is usual for decoders without one).</summary>
    public static int PadId(ConfigJson config, HfTokenizer tokenizer) =>
        config.IntOrNull("pad_token_id") ?? tokenizer.PadTokenId ?? tokenizer.EosTokenId ?? config.IntList("eos_token_id").FirstOrDefault(0);

    /// <summary>The EOS id appended after completions: the tokenizer's eos_token, else config.json's first eos_token_id.</summary>
    public static int EosId(ConfigJson config, HfTokenizer tokenizer) =>
        tokenizer.EosTokenId ?? (config.IntList("eos_token_id") is { Count: > 0 } ids ? ids[0]
            : throw new UserError($"{config.Path}: no eos_token (tokenizer_config.json) or eos_token_id (config.json): completions cannot be ended"));
}
