using TorchSharp;
using TuneSharp.IO;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// Loads a model folder into a body + head module the way transformers' <c>from_pretrained</c> does for
/// *ForSequenceClassification / *ForTokenClassification: every body tensor must be present with its shape
/// (under the module's key, or without the base prefix for a bare base-model checkpoint such as BertModel);
/// checkpoint tensors the module lacks (lm_head, pooler, cls.*) are ignored; the head is taken from the
/// checkpoint only when asked (same label set) and present with the right shape, else it keeps its fresh
/// initialisation.
/// </summary>
public static class HeadCheckpoint
{
    /// <summary>Loads <paramref name="dir"/> into <paramref name="model"/>; returns whether the head came from the checkpoint.</summary>
    public static bool Load(IClassifierModel model, string dir, bool loadHead) => Load(model.Module, model.HeadKeys, dir, loadHead);

    /// <summary>
    /// Loads <paramref name="dir"/> into a body + head <paramref name="module"/> whose head has the checkpoint keys
    /// <paramref name="headKeys"/> (a classifier, or BertForMaskedLM's cls.predictions.*); returns whether the head came from the checkpoint.
    /// </summary>
    public static bool Load(nn.Module module, IReadOnlyList<string> headKeys, string dir, bool loadHead)
    {
        using var checkpoint = Checkpoint.Open(dir);
        var head = new HashSet<string>(headKeys, StringComparer.Ordinal);
        var plan = new List<(string Source, Tensor Target)>();
        var targets = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(module.named_buffers(recurse: true, include_nonpersistent: false).Select(b => (b.name, b.buffer)));
        bool headFound = loadHead && headKeys.All(checkpoint.Contains);
        foreach (var (key, target) in targets)
        {
            string? source;
            if (head.Contains(key))
            {
                if (!headFound) continue;
                source = key;
            }
            else source = checkpoint.Contains(key) ? key : Unprefixed(key) is { } bare && checkpoint.Contains(bare) ? bare : null;
            if (source is null)
                throw new UserError($"{checkpoint.Source}: tensor '{key}' is missing: the model has it, the checkpoint does not");
            var info = checkpoint.Info(source);
            if (!info.Shape.SequenceEqual(target.shape))
            {
                if (head.Contains(key)) { headFound = false; continue; } // a head for another label count: re-initialised
                throw new UserError($"{checkpoint.FileOf(source)}: tensor '{source}' has shape {info.ShapeText}, "
                    + $"the model expects {SafetensorsTensorInfo.FormatShape(target.shape)}");
            }
            plan.Add((source, target));
        }
        using (no_grad())
            foreach (var (source, target) in plan)
                if (headFound || !head.Contains(source)) checkpoint.ReadInto(source, target);
        return headFound;
    }

    // "bert.encoder.layer.0..." → "encoder.layer.0..." (a BertModel saved on its own has no base prefix).
    static string? Unprefixed(string key)
    {
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : key[(dot + 1)..];
    }
}
