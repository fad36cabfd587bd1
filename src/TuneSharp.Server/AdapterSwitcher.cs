using TorchSharp;
using TuneSharp.Adapters;
using TuneSharp.IO;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Server;

/// <summary>
/// Several LoRA adapters over one base model, without reloading it. At startup each adapter is loaded, merged into
/// the base weights and unloaded; the merged values of the tensors it changes (LoRA targets' weights and modules to
/// save) are kept, and the base values are read back from the base checkpoint. <see cref="Activate"/> copies one
/// adapter's tensors in (or the base values back), so the model is always a plain model running at full speed.
/// Memory: one copy of each touched tensor per adapter, plus the base copy. Not thread-safe: the serving worker
/// is the only caller, between requests.
/// </summary>
public sealed class AdapterSwitcher : IDisposable
{
    readonly Dictionary<string, Tensor> parameters;              // the model's own tensors by state_dict key
    readonly Dictionary<string, Tensor> baseValues = new(StringComparer.Ordinal);
    readonly Dictionary<string, Dictionary<string, Tensor>> adapters = new(StringComparer.Ordinal);

    /// <summary>Loads every adapter (name → folder) over <paramref name="model"/>, whose weights came from <paramref name="baseDir"/>.</summary>
    public AdapterSwitcher(ICausalLM model, string baseDir, IReadOnlyDictionary<string, string> adapterDirs)
    {
        parameters = model.Module.state_dict();
        using var noGrad = no_grad();
        using var checkpoint = Checkpoint.Open(baseDir);
        try
        {
            foreach (var (name, dir) in adapterDirs)
            {
                var lora = LoraModel.Load(model.Module, dir);
                var keys = lora.Layers.Select(l => l.Path + ".weight")
                    .Concat(lora.ModulesToSave.SelectMany(p => parameters.Keys.Where(k => k.StartsWith(p + ".", StringComparison.Ordinal))))
                    .Distinct(StringComparer.Ordinal).ToList();
                lora.MergeAndUnload();
                adapters[name] = keys.ToDictionary(k => k, k => parameters[k].detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    if (!checkpoint.Contains(key))
                        throw new UserError($"adapter '{name}' ({dir}) changes '{key}', which the base checkpoint does not store (a tied weight); merge it with `tunesharp export` instead");
                    checkpoint.ReadInto(key, parameters[key]);
                    if (!baseValues.ContainsKey(key)) baseValues[key] = parameters[key].detach().clone().DetachFromDisposeScope();
                }
            }
        }
        catch { Dispose(); throw; }
    }

    /// <summary>The adapter names.</summary>
    public IReadOnlyCollection<string> Names => adapters.Keys;

    /// <summary>The adapter whose weights are in the model now (null = base).</summary>
    public string? Active { get; private set; }

    /// <summary>Puts adapter <paramref name="name"/>'s weights into the model (null = the base model).</summary>
    public void Activate(string? name)
    {
        if (string.Equals(name, Active, StringComparison.Ordinal)) return;
        if (name is not null && !adapters.ContainsKey(name)) throw new ArgumentException($"unknown adapter '{name}'", nameof(name));
        using var noGrad = no_grad();
        if (Active is not null)
            foreach (var key in adapters[Active].Keys) parameters[key].copy_(baseValues[key]);
        Active = null;
        if (name is not null)
            foreach (var (key, value) in adapters[name]) parameters[key].copy_(value);
        Active = name;
    }

    public void Dispose()
    {
        foreach (var t in baseValues.Values) t.Dispose();
        foreach (var a in adapters.Values) foreach (var t in a.Values) t.Dispose();
        baseValues.Clear();
        adapters.Clear();
    }
}
