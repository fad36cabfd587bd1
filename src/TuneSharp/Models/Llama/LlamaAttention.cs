using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models.Llama;

/// <summary>Grouped-query self-attention with RoPE. Keys: q_proj, k_proj, v_proj, o_proj.</summary>
public sealed class LlamaAttention : nn.Module
{
    // Declared as Module<Tensor, Tensor> (not the sealed Linear) so a LoRA adapter can stand in for one.
    public nn.Module<Tensor, Tensor> q_proj, k_proj, v_proj, o_proj;
    readonly int heads, kvHeads, headDim;
    readonly double dropout;

    public LlamaAttention(LlamaConfig c, Device? device, ScalarType? dtype) : base(nameof(LlamaAttention))
    {
        heads = c.num_attention_heads; kvHeads = c.num_key_value_heads; headDim = c.head_dim; dropout = c.attention_dropout;
        q_proj = nn.Linear(c.hidden_size, heads * headDim, c.QkvBias, device, dtype);
        k_proj = nn.Linear(c.hidden_size, kvHeads * headDim, c.QkvBias, device, dtype);
        v_proj = nn.Linear(c.hidden_size, kvHeads * headDim, c.QkvBias, device, dtype);
        o_proj = nn.Linear(heads * headDim, c.hidden_size, c.OutputBias, device, dtype);
        RegisterComponents();
    }

    /// <summary>x (B, T, C) -> (B, T, C). mask: (B, 1, T, P+T) boolean or null for plain causal.</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, IKvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long B = x.shape[0], T = x.shape[1];
        var q = q_proj.forward(x).view(B, T, heads, headDim).transpose(1, 2);   // (B, nh, T, hd)
        var k = k_proj.forward(x).view(B, T, kvHeads, headDim).transpose(1, 2); // (B, nkv, T, hd)
        var v = v_proj.forward(x).view(B, T, kvHeads, headDim).transpose(1, 2); // (B, nkv, T, hd)
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Update(layer, k, v);             // (B, nkv, P+T, hd)
        if (kvHeads != heads)
        {
            // Each KV head serves heads/kvHeads consecutive query heads (HF's repeat_kv).
            k = k.repeat_interleave(heads / kvHeads, dim: 1);
            v = v.repeat_interleave(heads / kvHeads, dim: 1);
        }
        var y = nn.functional.scaled_dot_product_attention(q, k, v, mask,
            p: training ? dropout : 0.0, is_casual: mask is null); // (B, nh, T, hd); null mask = plain causal, no past
        y = y.transpose(1, 2).reshape(B, T, heads * headDim);
        return o_proj.forward(y).MoveToOuterDisposeScope();
    }
}
