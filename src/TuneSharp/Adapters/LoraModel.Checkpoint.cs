using TuneSharp.IO;
using static TorchSharp.torch;

namespace TuneSharp.Adapters;

public sealed partial class LoraModel
{
    /// <summary>The weights file PEFT writes.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>
    /// The tensors PEFT's <c>save_pretrained</c> writes, by file key: <c>base_model.model.&lt;path&gt;.lora_A.weight</c>
    /// (r, in) and <c>.lora_B.weight</c> (out, r) per layer, then <c>base_model.model.&lt;path&gt;.&lt;name&gt;</c> for
    /// every parameter and buffer of a module to save. The tensors are the model's own, not copies.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> AdapterTensors()
    {
        EnsureAttached();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (path, l) in layers)
        {
            tensors[$"{KeyPrefix}{path}.lora_A.weight"] = l.lora_A.weight!;
            tensors[$"{KeyPrefix}{path}.lora_B.weight"] = l.lora_B.weight!;
            // PEFT's key for DoRA's magnitude (out,): no adapter name and no ".weight".
            if (l.lora_magnitude_vector is { } m) tensors[$"{KeyPrefix}{path}.lora_magnitude_vector"] = m;
        }
        foreach (var path in savePaths)
            foreach (var (name, t) in ModuleTree.At(Model, path).state_dict())
                tensors[$"{KeyPrefix}{path}.{name}"] = t;
        return tensors;
    }

    /// <summary>
    /// Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> in PEFT's format to
    /// <paramref name="dir"/>, atomically: <paramref name="dir"/> is the old folder or the complete new one.
    /// The config is written with inference_mode true, as PEFT writes it. Unlike PEFT, which adds its files to the
    /// folder, the whole folder is replaced: save each adapter to a folder of its own.
    /// </summary>
    public void Save(string dir)
    {
        var tensors = AdapterTensors();
        AtomicFolder.Write(dir, tmp =>
        {
            SafetensorsWriter.Write(Path.Combine(tmp, WeightsFileName), tensors,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" });
            LoraConfigJson.Write(Path.Combine(tmp, LoraConfigJson.FileName), Config with { inference_mode = true });
        });
    }

    /// <summary>
    /// Loads a PEFT LoRA adapter folder into <paramref name="model"/> (PEFT's <c>PeftModel.from_pretrained</c>), strictly:
    /// every tensor in the file must belong to an adapted module or a module to save, every adapter tensor must be in
    /// the file, and shapes must agree. On any error the model is left as it was.
    /// </summary>
    /// <param name="model">The base model, with its weights already loaded.</param>
    /// <param name="dir">A folder with adapter_config.json and adapter_model.safetensors.</param>
    /// <param name="isTrainable">False (PEFT's default): everything is frozen. True: LoRA weights and modules to save train.</param>
    /// <exception cref="UserError">A missing file or folder, an unsupported config, or a missing, unexpected or
    /// mis-shaped tensor; the message names the file and the key.</exception>
    public static LoraModel Load(nn.Module model, string dir, bool isTrainable = false)
    {
        if (!Directory.Exists(dir)) throw new UserError($"{dir}: adapter folder not found");
        string configPath = Path.Combine(dir, LoraConfigJson.FileName);
        var config = LoraConfigJson.Read(configPath) with { inference_mode = !isTrainable };
        using var file = SafetensorsFile.Open(Path.Combine(dir, WeightsFileName));
        var lora = ApplyCore(model, config, configPath);
        try
        {
            lora.LoadWeights(file);
            return lora;
        }
        catch
        {
            lora.Unload();
            throw;
        }
    }

    /// <summary>Copies the adapter tensors from <paramref name="file"/> after checking every key and shape.</summary>
    void LoadWeights(SafetensorsFile file)
    {
        var expected = AdapterTensors();
        foreach (var info in file.Tensors)
        {
            if (!expected.TryGetValue(info.Name, out var target))
                throw new UserError($"{file.Path}: tensor '{info.Name}' is unexpected: it belongs to no adapted module "
                    + $"or module to save (adapted: {string.Join(", ", layers.Take(3).Select(l => l.Path))}{(layers.Count > 3 ? ", ..." : "")})");
            if (!target.shape.SequenceEqual(info.Shape))
                throw new UserError($"{file.Path}: tensor '{info.Name}' has shape {info.ShapeText}, "
                    + $"the adapter expects {SafetensorsTensorInfo.FormatShape(target.shape)}");
        }
        var missing = expected.Keys.Where(k => !file.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new UserError($"{file.Path}: tensor '{missing[0]}' is missing"
                + (missing.Count > 1 ? $" (and {missing.Count - 1} more)" : ""));
        using var _ = no_grad();
        foreach (var (key, target) in expected) file.ReadInto(key, target);
    }
}
