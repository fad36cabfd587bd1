using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Adapters.PromptTuning;

/// <summary>
/// PEFT's <c>PromptTuningConfig</c> (Lester et al. 2021), as its <c>adapter_config.json</c> stores it: peft_type
/// PROMPT_TUNING, num_virtual_tokens soft tokens of token_dim prepended to every input, initialised RANDOM (N(0, 1),
/// PEFT's nn.Embedding default), SAMPLE_VOCAB (random rows of the word embeddings) or TEXT (the word embeddings of
/// prompt_tuning_init_text, repeated or cut to num_virtual_tokens).
/// </summary>
public sealed record PromptTuningConfig
{
    /// <summary>The file name PEFT uses.</summary>
    public const string FileName = "adapter_config.json";

    public int num_virtual_tokens { get; init; } = 20;
    public int token_dim { get; init; }
    public int num_transformer_submodules { get; init; } = 1;
    public int num_attention_heads { get; init; }
    public int num_layers { get; init; }
    public string prompt_tuning_init { get; init; } = "RANDOM";
    public string? prompt_tuning_init_text { get; init; }
    public string? tokenizer_name_or_path { get; init; }
    public string task_type { get; init; } = "SEQ_CLS";
    public string? base_model_name_or_path { get; init; }
    public IReadOnlyList<string>? modules_to_save { get; init; }
    public bool inference_mode { get; init; }

    /// <summary>Checks values; <paramref name="where"/> names the file or recipe section in errors.</summary>
    public void Validate(string where)
    {
        if (num_virtual_tokens < 1) throw new UserError($"{where}: key 'num_virtual_tokens': must be >= 1, got {num_virtual_tokens}");
        if (num_transformer_submodules != 1)
            throw new UserError($"{where}: key 'num_transformer_submodules': {num_transformer_submodules} is not supported (encoder-only and decoder-only models have 1)");
        if (prompt_tuning_init is not ("RANDOM" or "TEXT" or "SAMPLE_VOCAB"))
            throw new UserError($"{where}: key 'prompt_tuning_init': '{prompt_tuning_init}' is not RANDOM, TEXT or SAMPLE_VOCAB");
        if (prompt_tuning_init == "TEXT" && string.IsNullOrWhiteSpace(prompt_tuning_init_text))
            throw new UserError($"{where}: key 'prompt_tuning_init_text': required with prompt_tuning_init TEXT");
        if (task_type is not ("SEQ_CLS" or "CAUSAL_LM")) throw new UserError($"{where}: key 'task_type': '{task_type}' is not supported (supported: SEQ_CLS, CAUSAL_LM)");
    }

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    public static PromptTuningConfig Read(string path)
    {
        var root = IO.JsonFile.ReadObject(path);
        var f = new Fields(root, path);
        var type = f.String("peft_type") ?? throw new UserError($"{path}: key 'peft_type' is missing");
        if (type != "PROMPT_TUNING") throw new UserError($"{path}: key 'peft_type': '{type}' is not PROMPT_TUNING");
        var config = new PromptTuningConfig
        {
            num_virtual_tokens = f.Int("num_virtual_tokens") ?? throw new UserError($"{path}: key 'num_virtual_tokens' is missing"),
            token_dim = f.Int("token_dim") ?? 0,
            num_transformer_submodules = f.Int("num_transformer_submodules") ?? 1,
            num_attention_heads = f.Int("num_attention_heads") ?? 0,
            num_layers = f.Int("num_layers") ?? 0,
            prompt_tuning_init = f.String("prompt_tuning_init") ?? "RANDOM",
            prompt_tuning_init_text = f.String("prompt_tuning_init_text"),
            tokenizer_name_or_path = f.String("tokenizer_name_or_path"),
            task_type = f.String("task_type") ?? "SEQ_CLS",
            base_model_name_or_path = f.String("base_model_name_or_path"),
            modules_to_save = f.Strings("modules_to_save"),
            inference_mode = f.Bool("inference_mode") ?? true,
        };
        config.Validate(path);
        return config;
    }

    /// <summary>Writes the config as PEFT does (its keys, null where unset), atomically.</summary>
    public void Write(string path)
    {
        var o = new JsonObject
        {
            ["peft_type"] = "PROMPT_TUNING", ["task_type"] = task_type, ["num_virtual_tokens"] = num_virtual_tokens,
            ["token_dim"] = token_dim, ["num_transformer_submodules"] = num_transformer_submodules,
            ["num_attention_heads"] = num_attention_heads, ["num_layers"] = num_layers,
            ["prompt_tuning_init"] = prompt_tuning_init, ["prompt_tuning_init_text"] = prompt_tuning_init_text,
            ["tokenizer_name_or_path"] = tokenizer_name_or_path, ["tokenizer_kwargs"] = null,
            ["base_model_name_or_path"] = base_model_name_or_path, ["revision"] = null, ["inference_mode"] = inference_mode,
            ["modules_to_save"] = modules_to_save is null ? null : new JsonArray(modules_to_save.Select(m => (JsonNode)m).ToArray()),
            ["peft_version"] = LoraConfigJson.PeftFormatVersion,
        };
        IO.AtomicFile.WriteAllText(path, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
