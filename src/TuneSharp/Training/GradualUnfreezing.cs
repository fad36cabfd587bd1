using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// ULMFiT's gradual unfreezing: training starts with only the top layer group trainable (the heads, above the
/// blocks) and unfreezes one more group downwards each epoch, or every <c>everySteps</c> optimizer steps.
/// Only parameters that were trainable when the run started take part (a frozen bottom stays frozen). A frozen
/// parameter gets no gradient, so the per-tensor optimizer skips it and it stays bit-identical.
/// </summary>
public sealed class GradualUnfreezing
{
    readonly List<(Parameter Param, int Depth)> parameters;
    readonly int top, everySteps;

    public GradualUnfreezing(nn.Module module, int everySteps)
    {
        var named = module.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        int blocks = LayerGroups.Blocks(module.named_parameters().Select(p => p.name));
        parameters = named.Select(p => (p.parameter, LayerGroups.Depth(p.name, blocks))).ToList();
        top = blocks + 1;
        this.everySteps = everySteps;
    }

    /// <summary>Layer groups open (trainable) at a step of an epoch: 1 + the number of epochs (or step periods) passed.</summary>
    public int OpenGroups(int step, int epoch) => 1 + (everySteps > 0 ? step / everySteps : epoch);

    /// <summary>Sets requires_grad for the given step and epoch; returns the number of open groups.</summary>
    public int Apply(int step, int epoch)
    {
        int open = OpenGroups(step, epoch);
        foreach (var (p, depth) in parameters) p.requires_grad = depth > top - open;
        return Math.Min(open, top + 1);
    }

    /// <summary>Makes every scheduled parameter trainable again (at the end, so saving and bf16 restore see them all).</summary>
    public void RestoreAll()
    {
        foreach (var (p, _) in parameters) p.requires_grad = true;
    }
}
