using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Adapters;

/// <summary>
/// Reads and writes PEFT's <c>adapter_config.json</c> for LoRA. Unknown keys are ignored (PEFT adds keys often),
/// but keys that would change the computation and that TuneSharp does not implement (per-module rank or alpha, LoRA
/// biases, ...) are a <see cref="UserError"/> naming the file and key, never silently dropped.
/// </summary>
public static class LoraConfigJson
{
    /// <summary>The file name PEFT uses.</summary>
    public const string FileName = "adapter_config.json";

    /// <summary>The PEFT release whose adapter format this writes (PEFT reads it as its own).</summary>
    public const string PeftFormatVersion = "0.21.0";

    // Keys whose non-default values change the math; each must be absent, null, false, "", {} or [].
    static readonly string[] Unsupported =
    [
        "lora_bias", "rank_pattern", "alpha_pattern", "layer_replication", "target_parameters",
        "trainable_token_indices", "alora_invocation_tokens", "use_qalora", "arrow_config", "use_bdlora",
    ];

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="UserError">Missing file, invalid JSON, a wrong type, or an unsupported feature; the message
    /// names the file and the key.</exception>
    public static LoraConfig Read(string path)
    {
        return Parse(IO.JsonFile.ReadObject(path), path);
    }

    /// <summary>Parses an adapter config object; <paramref name="source"/> names it in errors.</summary>
    public static LoraConfig Parse(JsonObject root, string source)
    {
        var f = new Fields(root, source);
        var type = f.String("peft_type") ?? throw new UserError($"{source}: key 'peft_type' is missing");
        if (!string.Equals(type, "LORA", StringComparison.Ordinal))
            throw new UserError($"{source}: key 'peft_type': '{type}' is not supported (supported: LORA)");
        foreach (var key in Unsupported)
            if (Fields.IsSet(root[key]))
                throw new UserError($"{source}: key '{key}': {root[key]!.ToJsonString()} is not supported by TuneSharp's LoRA");

        var config = new LoraConfig
        {
            r = f.Int("r") ?? 8,
            lora_alpha = f.Double("lora_alpha") ?? 8,
            lora_dropout = f.Double("lora_dropout") ?? 0,
            target_modules = f.Targets("target_modules"),
            exclude_modules = f.Targets("exclude_modules"),
            use_rslora = f.Bool("use_rslora") ?? false,
            use_dora = f.Bool("use_dora") ?? false,
            modules_to_save = f.Strings("modules_to_save"),
            bias = f.String("bias") ?? "none",
            fan_in_fan_out = f.Bool("fan_in_fan_out") ?? false,
            init_lora_weights = f.Bool("init_lora_weights") ?? true,
            layers_to_transform = f.Ints("layers_to_transform"),
            layers_pattern = f.Strings("layers_pattern"),
            task_type = f.String("task_type"),
            base_model_name_or_path = f.String("base_model_name_or_path"),
            inference_mode = f.Bool("inference_mode") ?? false,
        };
        config.Validate(source);
        return config;
    }

    /// <summary>The JSON text PEFT would write for <paramref name="config"/>: keys sorted, two-space indent.</summary>
    public static string ToJson(LoraConfig config)
    {
        var o = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["alpha_pattern"] = new JsonObject(),
            ["base_model_name_or_path"] = config.base_model_name_or_path,
            ["bias"] = config.bias,
            ["exclude_modules"] = TargetsNode(config.exclude_modules),
            ["fan_in_fan_out"] = config.fan_in_fan_out,
            ["inference_mode"] = config.inference_mode,
            ["init_lora_weights"] = config.init_lora_weights,
            ["layers_pattern"] = config.layers_pattern is null ? null : new JsonArray(config.layers_pattern.Select(s => (JsonNode?)s).ToArray()),
            ["layers_to_transform"] = config.layers_to_transform is null ? null : new JsonArray(config.layers_to_transform.Select(i => (JsonNode?)i).ToArray()),
            ["lora_alpha"] = Number(config.lora_alpha),
            ["lora_bias"] = false,
            ["lora_dropout"] = PyFloat(config.lora_dropout),
            ["modules_to_save"] = config.modules_to_save is null ? null : new JsonArray(config.modules_to_save.Select(s => (JsonNode?)s).ToArray()),
            ["peft_type"] = "LORA",
            ["peft_version"] = PeftFormatVersion,
            ["r"] = config.r,
            ["rank_pattern"] = new JsonObject(),
            ["revision"] = null,
            ["target_modules"] = TargetsNode(config.target_modules),
            ["task_type"] = config.task_type,
            ["use_dora"] = config.use_dora,
            ["use_rslora"] = config.use_rslora,
        };
        var root = new JsonObject();
        foreach (var (k, v) in o) root[k] = v;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2 });
    }

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/> (atomically).</summary>
    public static void Write(string path, LoraConfig config) => IO.AtomicFile.WriteAllText(path, ToJson(config));

    // PEFT writes integral alphas as integers (lora_alpha: 8, not 8.0).
    static JsonNode Number(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < int.MaxValue ? JsonValue.Create((int)d) : JsonValue.Create(d);

    // Python writes floats with a decimal point (0.0, not 0); a decimal with scale 1 prints the same.
    static JsonNode PyFloat(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e15 ? JsonValue.Create((decimal)d + 0.0m) : JsonValue.Create(d);

    // A pattern is written as a string; names as a sorted list (PEFT keeps them in a set).
    static JsonNode? TargetsNode(TargetModules? t) => t switch
    {
        null => null,
        { Pattern: { } p } => JsonValue.Create(p),
        _ => new JsonArray(t.Names.Order(StringComparer.Ordinal).Select(n => (JsonNode?)n).ToArray()),
    };
}
