using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Llama;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)). Keys: gate_proj, up_proj, down_proj.</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    // Declared as Module<Tensor, Tensor> (not the sealed Linear) so a LoRA adapter can stand in for one.
    public nn.Module<Tensor, Tensor> gate_proj, up_proj, down_proj;

    public LlamaMlp(LlamaConfig c, Device? device, ScalarType? dtype) : base(nameof(LlamaMlp))
    {
        gate_proj = nn.Linear(c.hidden_size, c.intermediate_size, c.mlp_bias, device, dtype);
        up_proj = nn.Linear(c.hidden_size, c.intermediate_size, c.mlp_bias, device, dtype);
        down_proj = nn.Linear(c.intermediate_size, c.hidden_size, c.mlp_bias, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x); // (B, T, I)
        return down_proj.forward(h).MoveToOuterDisposeScope();
    }
}
