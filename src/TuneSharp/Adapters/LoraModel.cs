using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Adapters;

/// <summary>
/// LoRA adapters injected into a model in place (PEFT's <c>get_peft_model</c>): each targeted Linear/Conv1D becomes a
/// <see cref="LoraLinear"/> at the same path, every other parameter is frozen except those of
/// <c>modules_to_save</c>, which train in full. The model keeps its class and forward; its <c>state_dict</c> gains
/// PEFT's in-model keys (<c>q_proj.base_layer.weight</c>, <c>q_proj.lora_A.weight</c>, ...).
/// Unlike PEFT, modules to save are trained in place rather than as a copy, so disabling the adapter or
/// <see cref="Unload"/> does not bring back their original weights.
/// </summary>
public sealed partial class LoraModel
{
    /// <summary>PEFT's prefix of every key in adapter_model.safetensors.</summary>
    public const string KeyPrefix = "base_model.model.";

    // Task types whose classification heads PEFT adds to modules_to_save.
    static readonly string[] SeqClsHeads = ["classifier", "score"];

    readonly List<(string Path, LoraLinear Layer)> layers;
    readonly List<string> savePaths;
    // By name, not by Parameter: moving the model to another device replaces the Parameter objects.
    readonly Dictionary<string, bool> originalRequiresGrad;
    bool detached;

    LoraModel(nn.Module model, LoraConfig config, List<(string, LoraLinear)> layers, List<string> savePaths,
        Dictionary<string, bool> originalRequiresGrad)
    {
        Model = model;
        Config = config;
        this.layers = layers;
        this.savePaths = savePaths;
        this.originalRequiresGrad = originalRequiresGrad;
    }

    /// <summary>The adapted model (the same instance that was passed in).</summary>
    public nn.Module Model { get; }

    /// <summary>The effective config: fan_in_fan_out set as PEFT sets it, SEQ_CLS heads added to modules_to_save.</summary>
    public LoraConfig Config { get; }

    /// <summary>The LoRA layers by module path (e.g. <c>model.layers.0.self_attn.q_proj</c>), in model order.</summary>
    public IReadOnlyList<(string Path, LoraLinear Layer)> Layers => layers;

    /// <summary>Paths of the modules trained in full and saved with the adapter.</summary>
    public IReadOnlyList<string> ModulesToSave => savePaths;

    /// <summary>True when every LoRA layer is merged into its base weight.</summary>
    public bool Merged => layers.Count > 0 && layers.All(l => l.Layer.Merged);

    /// <summary>Disables (base model only) or enables every LoRA layer; disabling unmerges merged layers.</summary>
    public bool Disabled
    {
        get => layers.Count > 0 && layers.All(l => l.Layer.Disabled);
        set { EnsureAttached(); foreach (var (_, l) in layers) l.Disabled = value; }
    }

    /// <summary>
    /// Injects LoRA layers into <paramref name="model"/> as <paramref name="config"/> says and freezes the rest
    /// (everything, with <c>inference_mode</c>). The new layers follow the model's train/eval mode.
    /// </summary>
    /// <exception cref="UserError">A target_modules name or modules_to_save name matches nothing, a matched module is
    /// not Linear/Conv1D, or a value is invalid; the message lists the offending names.</exception>
    /// <exception cref="InvalidOperationException">The model already has LoRA layers, or holds a target in a field
    /// whose declared type cannot take a <see cref="LoraLinear"/>.</exception>
    public static LoraModel Apply(nn.Module model, LoraConfig config) => ApplyCore(model, config, "LoraConfig");

    static LoraModel ApplyCore(nn.Module model, LoraConfig config, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate(source);
        var modules = ModuleTree.ByPath(model);
        if (modules.Values.Any(m => m is LoraLinear))
            throw new InvalidOperationException("the model already has LoRA layers; merge or unload them first");

        if (config.modules_to_save is null && string.Equals(config.task_type, "SEQ_CLS", StringComparison.Ordinal))
            config = config with { modules_to_save = SeqClsHeads };
        var savePaths = ResolveModulesToSave(config, modules, source);
        var targets = Targets.Select(config, modules, source);
        // PEFT forces fan_in_fan_out on for Conv1D targets and off for Linear ones.
        config = config with { fan_in_fan_out = targets.Any(p => modules[p] is TuneSharp.Models.Gpt2.Conv1D) };

        var original = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.requires_grad, StringComparer.Ordinal);
        var layers = new List<(string, LoraLinear)>();
        try
        {
            foreach (var p in model.parameters()) p.requires_grad = false;
            foreach (var path in targets)
            {
                var lora = new LoraLinear((nn.Module<Tensor, Tensor>)modules[path], config.r, config.Scaling,
                    config.lora_dropout, config.init_lora_weights, config.use_dora);
                if (!model.training) lora.eval();
                try { ModuleTree.Replace(model, path, lora); }
                catch { lora.Release(); throw; }
                layers.Add((path, lora));
            }
        }
        catch
        {
            foreach (var (path, lora) in layers) ModuleTree.Replace(model, path, lora.Release());
            RestoreRequiresGrad(model, original);
            throw;
        }

        var result = new LoraModel(model, config, layers, savePaths, original);
        result.SetTrainable(!config.inference_mode);
        return result;
    }

    /// <summary>Makes LoRA weights and modules to save trainable (or frozen); everything else stays frozen.</summary>
    public void SetTrainable(bool trainable)
    {
        EnsureAttached();
        foreach (var (_, l) in layers)
        {
            l.lora_A.weight!.requires_grad = trainable;
            l.lora_B.weight!.requires_grad = trainable;
            if (l.lora_magnitude_vector is { } m) m.requires_grad = trainable;
        }
        foreach (var path in savePaths)
            foreach (var p in ModuleTree.At(Model, path).parameters()) p.requires_grad = trainable;
    }

    /// <summary>The parameters an optimizer should update (those with requires_grad).</summary>
    public IEnumerable<Parameter> TrainableParameters() => Model.parameters().Where(p => p.requires_grad);

    /// <summary>Trainable vs all parameters (PEFT's <c>print_trainable_parameters</c> text via ToString).</summary>
    public ParameterCounts CountParameters() => ParameterCounts.Of(Model);

    /// <summary>Merges every LoRA layer into its base weight (a no-op for merged layers); enables them first.</summary>
    public void Merge()
    {
        EnsureAttached();
        foreach (var (_, l) in layers) { l.Disabled = false; l.Merge(); }
    }

    /// <summary>Takes every merged LoRA layer back out of its base weight.</summary>
    public void Unmerge()
    {
        EnsureAttached();
        foreach (var (_, l) in layers) l.Unmerge();
    }

    /// <summary>
    /// Merges the adapters and puts the base layers back, so the model is a plain Hugging Face model again: its
    /// <c>state_dict</c> has exactly the base keys, ready for <c>Pretrained.Save</c>. requires_grad flags return
    /// to what they were before <see cref="Apply(nn.Module, LoraConfig)"/>. This object is unusable afterwards.
    /// </summary>
    public nn.Module MergeAndUnload()
    {
        Merge();
        return Detach();
    }

    /// <summary>Unmerges and removes the adapters without merging, leaving the base model as it was.</summary>
    public nn.Module Unload()
    {
        Unmerge();
        return Detach();
    }

    nn.Module Detach()
    {
        foreach (var (path, lora) in layers) ModuleTree.Replace(Model, path, lora.Release());
        RestoreRequiresGrad(Model, originalRequiresGrad);
        detached = true;
        return Model;
    }

    static void RestoreRequiresGrad(nn.Module model, Dictionary<string, bool> flags)
    {
        foreach (var (name, p) in model.named_parameters())
            if (flags.TryGetValue(name, out bool g)) p.requires_grad = g;
    }

    void EnsureAttached()
    {
        if (detached) throw new InvalidOperationException("the LoRA adapters were already merged or unloaded");
    }

    static List<string> ResolveModulesToSave(LoraConfig config, Dictionary<string, nn.Module> modules, string source)
    {
        if (config.modules_to_save is not { Count: > 0 } names) return [];
        var paths = new List<string>();
        var unmatched = new List<string>();
        bool seqCls = string.Equals(config.task_type, "SEQ_CLS", StringComparison.Ordinal);
        foreach (var name in names)
        {
            var hits = modules.Keys.Where(p => ModuleMatcher.NameMatches(p, name)).ToList();
            // PEFT lists both head names for SEQ_CLS; a model has only one of them.
            if (hits.Count == 0 && !(seqCls && SeqClsHeads.Contains(name))) unmatched.Add(name);
            paths.AddRange(hits);
        }
        if (unmatched.Count > 0)
            throw new UserError($"{source}: key 'modules_to_save': {Quoted(unmatched)} matched no module of the model");
        // Keep outermost modules only: a nested match is saved with its parent.
        var distinct = paths.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Where(p => !distinct.Any(q => p.StartsWith(q + ".", StringComparison.Ordinal))).ToList();
    }

    internal static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
