using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>Eval mode + no_grad for an evaluation pass; the module's previous mode comes back on dispose.</summary>
internal sealed class EvalScope : IDisposable
{
    readonly nn.Module module;
    readonly bool wasTraining;
    readonly IDisposable noGrad;

    public EvalScope(nn.Module module)
    {
        this.module = module;
        wasTraining = module.training;
        module.eval();
        noGrad = no_grad();
    }

    public void Dispose()
    {
        noGrad.Dispose();
        if (wasTraining) module.train();
    }
}
