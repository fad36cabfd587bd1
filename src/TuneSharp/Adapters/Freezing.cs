using static TorchSharp.torch;

namespace TuneSharp.Adapters;

/// <summary>How many parameters a freeze or unfreeze touched.</summary>
/// <param name="Tensors">Parameter tensors whose names matched.</param>
/// <param name="Elements">Their total number of elements.</param>
public readonly record struct FreezeCounts(int Tensors, long Elements);

/// <summary>
/// Freezes or unfreezes parameters by name (<c>model.layers.0.self_attn.q_proj.weight</c>) with
/// <see cref="NamePattern"/> patterns: <c>*</c> globs, or regular expressions after <c>re:</c>.
/// A pattern that matches no parameter is a <see cref="UserError"/>, so a typo never silently trains everything.
/// </summary>
public static class Freezing
{
    /// <summary>Sets requires_grad = false on every parameter whose name matches one of <paramref name="patterns"/>.</summary>
    /// <exception cref="UserError">A pattern is invalid or matches no parameter (all such patterns are listed).</exception>
    public static FreezeCounts Apply(nn.Module module, IEnumerable<string> patterns) => Set(module, patterns, requiresGrad: false);

    /// <summary>Sets requires_grad = true on every parameter whose name matches one of <paramref name="patterns"/>.</summary>
    /// <exception cref="UserError">A pattern is invalid or matches no parameter (all such patterns are listed).</exception>
    public static FreezeCounts Unfreeze(nn.Module module, IEnumerable<string> patterns) => Set(module, patterns, requiresGrad: true);

    static FreezeCounts Set(nn.Module module, IEnumerable<string> patterns, bool requiresGrad)
    {
        ArgumentNullException.ThrowIfNull(module);
        var parsed = patterns.Select(NamePattern.Parse).ToList();
        if (parsed.Count == 0) throw new UserError("freeze patterns: none given");
        var parameters = module.named_parameters().ToList();
        var unused = parsed.Where(p => !parameters.Any(np => p.IsMatch(np.name))).ToList();
        if (unused.Count > 0)
            throw new UserError($"freeze patterns: {LoraModel.Quoted(unused.Select(p => p.Text))} matched no parameter"
                + $" (names look like '{parameters.FirstOrDefault().name}')");
        int tensors = 0;
        long elements = 0;
        foreach (var (name, p) in parameters)
        {
            if (!parsed.Any(pattern => pattern.IsMatch(name))) continue;
            p.requires_grad = requiresGrad;
            tensors++;
            elements += p.numel();
        }
        return new FreezeCounts(tensors, elements);
    }
}
