using static TorchSharp.torch;

namespace TuneSharp.Adapters;

/// <summary>Chooses the module paths a <see cref="LoraConfig"/> adapts, with errors that name what matched nothing.</summary>
internal static class Targets
{
    /// <summary>The paths to adapt, in model order.</summary>
    /// <exception cref="UserError">A target name matches no module, nothing is selected, or a selected module is not
    /// a Linear/Conv1D.</exception>
    public static List<string> Select(LoraConfig c, Dictionary<string, nn.Module> modules, string source)
    {
        var t = c.target_modules!;
        var regex = t.Pattern is { } p && !t.IsAllLinear ? ModuleMatcher.Full(p) : null;
        var unmatched = new List<string>(t.Names);
        var selected = new List<string>();
        foreach (var (path, module) in modules)
        {
            bool hit;
            if (t.IsAllLinear) hit = LoraLinear.CanWrap(module) && !IsOutputLayer(c, path);
            else if (regex is not null) hit = regex.IsMatch(path);
            else
            {
                var names = t.Names.Where(n => ModuleMatcher.NameMatches(path, n)).ToList();
                if (names.Count == 0) continue;
                unmatched.RemoveAll(names.Contains);
                // As in PEFT, a name equal to the whole path bypasses the layer filter.
                hit = t.Names.Contains(path) || ModuleMatcher.PassesLayerFilter(c, path);
            }
            if (!hit) continue;
            if (c.exclude_modules is { } ex && ModuleMatcher.Selects(ex, path)) continue;
            if (ModuleMatcher.InModulesToSave(c, path)) continue;
            if (!LoraLinear.CanWrap(module))
                throw new UserError($"{source}: key 'target_modules': module '{path}' is a {module.GetType().Name}; "
                    + "LoRA applies to Linear and GPT-2 Conv1D layers only");
            selected.Add(path);
        }
        if (unmatched.Count > 0)
            throw new UserError($"{source}: key 'target_modules': {LoraModel.Quoted(unmatched)} matched no module of the model");
        if (selected.Count == 0)
            throw new UserError($"{source}: key 'target_modules': '{t}' selected no module"
                + " (after layers_to_transform, exclude_modules and modules_to_save)");
        return selected;
    }

    // all-linear leaves out the output layer (lm_head), and a classifier head for SEQ_CLS, as PEFT does.
    static bool IsOutputLayer(LoraConfig c, string path) =>
        ModuleMatcher.NameMatches(path, "lm_head")
        || (string.Equals(c.task_type, "SEQ_CLS", StringComparison.Ordinal) && path is "classifier" or "score");
}
