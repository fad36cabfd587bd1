namespace TuneSharp.Adapters;

/// <summary>
/// A LoRA adapter's settings, with PEFT's <c>LoraConfig</c> field names so that <c>adapter_config.json</c> maps
/// key for key (see <see cref="LoraConfigJson"/>). Each targeted layer computes
/// <c>y = base(x) + B(A(dropout(x))) · scaling</c> with A (r, in) and B (out, r).
/// </summary>
public sealed record LoraConfig
{
    /// <summary>The rank of A and B.</summary>
    public int r { get; init; } = 8;

    /// <summary>Numerator of the scaling: <c>lora_alpha / r</c> (or <c>/ sqrt(r)</c> with <see cref="use_rslora"/>).</summary>
    public double lora_alpha { get; init; } = 8;

    /// <summary>Dropout on the LoRA branch's input (training only); 0 disables it.</summary>
    public double lora_dropout { get; init; }

    /// <summary>Which modules get an adapter: names (last path components) or a full-match regex, as in PEFT.</summary>
    public TargetModules? target_modules { get; init; }

    /// <summary>Modules never adapted even when <see cref="target_modules"/> matches them (same syntax).</summary>
    public TargetModules? exclude_modules { get; init; }

    /// <summary>
    /// DoRA (Liu et al. 2024): each adapted weight is a learned magnitude per output row times the direction of
    /// W + scaling·B·A (see <see cref="LoraLinear"/>); the magnitude is saved as <c>lora_magnitude_vector</c>.
    /// </summary>
    public bool use_dora { get; init; }

    /// <summary>Rank-stabilised LoRA: scaling = lora_alpha / sqrt(r) instead of lora_alpha / r.</summary>
    public bool use_rslora { get; init; }

    /// <summary>
    /// Modules trained in full and saved with the adapter (e.g. a classifier head <c>score</c> or <c>classifier</c>);
    /// matched like <see cref="target_modules"/> names. Their weights go in the file as <c>base_model.model.&lt;path&gt;.weight</c>.
    /// </summary>
    public IReadOnlyList<string>? modules_to_save { get; init; }

    /// <summary>Which biases train with the adapter. Only "none" is supported.</summary>
    public string bias { get; init; } = "none";

    /// <summary>
    /// True when the base layer stores its weight as (in, out), as GPT-2's Conv1D does. PEFT forces it on for
    /// Conv1D targets and off for Linear targets, and so does <see cref="LoraModel.Apply"/>.
    /// </summary>
    public bool fan_in_fan_out { get; init; }

    /// <summary>
    /// True (PEFT's default): A is Kaiming-uniform (a = sqrt 5), B is zero, so a fresh adapter changes nothing.
    /// False: B is random as well (PEFT's test initialisation), so a fresh adapter changes the output.
    /// </summary>
    public bool init_lora_weights { get; init; } = true;

    /// <summary>
    /// Only layers with these indices (the number after <c>layers.</c>, <c>h.</c>, ...) get adapters; null = all.
    /// As in PEFT, it filters name lists only: a regex <see cref="target_modules"/> is taken as written.
    /// </summary>
    public IReadOnlyList<int>? layers_to_transform { get; init; }

    /// <summary>Names of the layer list(s) whose index <see cref="layers_to_transform"/> reads (e.g. "layers"); null = any.</summary>
    public IReadOnlyList<string>? layers_pattern { get; init; }

    /// <summary>PEFT's task type, e.g. "CAUSAL_LM" or "SEQ_CLS" (which saves <c>classifier</c>/<c>score</c> by default).</summary>
    public string? task_type { get; init; }

    /// <summary>The base model the adapter was trained on (a hub id or a path); informational.</summary>
    public string? base_model_name_or_path { get; init; }

    /// <summary>True when the adapter is loaded for inference only: nothing is trainable.</summary>
    public bool inference_mode { get; init; }

    /// <summary>The multiplier of B·A: alpha / r, or alpha / sqrt(r) with rsLoRA.</summary>
    public double Scaling => use_rslora ? lora_alpha / Math.Sqrt(r) : lora_alpha / r;

    /// <summary>Checks the values; <paramref name="source"/> (a file or "LoraConfig") starts each error message.</summary>
    /// <exception cref="UserError">A value is out of range or unsupported; the message names the key.</exception>
    public void Validate(string source)
    {
        if (r <= 0) throw new UserError($"{source}: key 'r': must be a positive integer, got {r}");
        if (!double.IsFinite(lora_alpha)) throw new UserError($"{source}: key 'lora_alpha': must be a finite number");
        if (!(lora_dropout >= 0 && lora_dropout < 1))
            throw new UserError($"{source}: key 'lora_dropout': must be in [0, 1), got {lora_dropout}");
        if (!string.Equals(bias, "none", StringComparison.Ordinal))
            throw new UserError($"{source}: key 'bias': '{bias}' is not supported (supported: none)");
        if (target_modules is null || (target_modules.Pattern is null && target_modules.Names.Count == 0))
            throw new UserError($"{source}: key 'target_modules': no target modules given");
        if (target_modules.Pattern is { } p && !target_modules.IsAllLinear) ModuleMatcher.CheckRegex(source, "target_modules", p);
        if (exclude_modules?.Pattern is { } e) ModuleMatcher.CheckRegex(source, "exclude_modules", e);
    }
}
