using TorchSharp;

namespace TuneSharp.IO;

/// <summary>
/// Loads a <see cref="Checkpoint"/> into a module's parameters and persistent buffers, key for key, in place.
/// Every key and shape is checked before the first byte is copied, so a failed load leaves the module as it was.
/// Tensors are then copied one at a time under <c>torch.no_grad()</c>: straight from the file into the parameter
/// when it is a contiguous CPU tensor of the stored dtype, otherwise through one temporary of that tensor's size
/// (converted by <c>copy_</c> to the parameter's dtype and device). Peak memory is the model plus at most the
/// largest tensor, never two full copies.
/// </summary>
public static class StateDictLoader
{
    /// <summary>Loads <paramref name="checkpoint"/> into <paramref name="module"/>.</summary>
    /// <param name="module">The module whose parameters and persistent buffers receive the weights.</param>
    /// <param name="checkpoint">The open checkpoint.</param>
    /// <param name="strict">When true, a module key missing from the checkpoint (and not in <paramref name="tiedKeys"/>)
    /// or a checkpoint key the module lacks is a <see cref="UserError"/>. Shape mismatches are errors either way.</param>
    /// <param name="tiedKeys">Module keys that may be absent because they share their tensor with another key
    /// (e.g. "lm_head.weight" tied to "model.embed_tokens.weight"); loaded when present.</param>
    /// <param name="shapesOnly">Check keys and shapes against the headers without reading any data (for a module on
    /// the meta device).</param>
    /// <exception cref="UserError">A missing or unexpected key (strict), or a shape mismatch; the message names the
    /// file and the key, and for shapes both shapes.</exception>
    public static LoadReport Load(torch.nn.Module module, Checkpoint checkpoint, bool strict = true,
        IReadOnlyCollection<string>? tiedKeys = null, bool shapesOnly = false)
    {
        var targets = Targets(module);
        var tied = new HashSet<string>(tiedKeys ?? [], StringComparer.Ordinal);

        var missing = targets.Keys.Where(k => !checkpoint.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = checkpoint.Keys.Where(k => !targets.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (strict)
        {
            var untied = missing.Where(k => !tied.Contains(k)).ToList();
            if (untied.Count > 0)
                throw new UserError($"{checkpoint.Source}: tensor '{untied[0]}' is missing: the model has it, the checkpoint does not"
                    + More(untied));
            if (unexpected.Count > 0)
                throw new UserError($"{checkpoint.FileOf(unexpected[0])}: tensor '{unexpected[0]}' is unexpected: the model has no parameter or buffer of that name"
                    + More(unexpected));
        }

        var toLoad = targets.Keys.Where(checkpoint.Contains).ToList();
        foreach (var key in toLoad)
        {
            var info = checkpoint.Info(key);
            long[] expected = targets[key].shape;
            if (!expected.SequenceEqual(info.Shape))
                throw new UserError($"{checkpoint.FileOf(key)}: tensor '{key}' has shape {info.ShapeText}, "
                    + $"the model expects {SafetensorsTensorInfo.FormatShape(expected)}");
        }

        long bytes = 0;
        if (shapesOnly) return new LoadReport(toLoad, missing, strict ? [] : unexpected, bytes);
        using (torch.no_grad())
        {
            foreach (var key in toLoad)
            {
                checkpoint.ReadInto(key, targets[key]);
                bytes += checkpoint.Info(key).ByteLength;
            }
        }
        return new LoadReport(toLoad, missing, strict ? [] : unexpected, bytes);
    }

    /// <summary>
    /// The module's state keys → tensors: parameters, then persistent buffers (non-persistent ones, such as RoPE
    /// caches, are not checkpoint state). A tensor registered under two names appears under both.
    /// </summary>
    static Dictionary<string, torch.Tensor> Targets(torch.nn.Module module)
    {
        var targets = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in module.named_parameters()) targets.TryAdd(name, p);
        foreach (var (name, b) in module.named_buffers(recurse: true, include_nonpersistent: false)) targets.TryAdd(name, b);
        return targets;
    }

    static string More(List<string> keys) => keys.Count switch
    {
        1 => "",
        <= 6 => $" (also: {string.Join(", ", keys.Skip(1))})",
        _ => $" (also: {string.Join(", ", keys.Skip(1).Take(5))} and {keys.Count - 6} more)",
    };
}
