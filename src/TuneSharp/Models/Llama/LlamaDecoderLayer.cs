using TorchSharp;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models.Llama;

/// <summary>Pre-norm block: x + attn(norm(x)), then x + mlp(norm(x)).</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    public LlamaAttention self_attn;
    public LlamaMlp mlp;
    public RmsNorm input_layernorm, post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig c, Device? device, ScalarType? dtype) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(c, device, dtype);
        mlp = new LlamaMlp(c, device, dtype);
        input_layernorm = new RmsNorm(c.hidden_size, c.rms_norm_eps, device, dtype);
        post_attention_layernorm = new RmsNorm(c.hidden_size, c.rms_norm_eps, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, IKvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache, layer);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
