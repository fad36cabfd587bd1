using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models.Gpt2;

/// <summary>GPT-2 attention. Keys: c_attn (fused q,k,v), c_proj.</summary>
public sealed class Gpt2Attention : nn.Module
{
    // Declared as Module<Tensor, Tensor> (not the sealed Conv1D) so a LoRA adapter can stand in for one.
    public nn.Module<Tensor, Tensor> c_attn, c_proj;
    readonly int heads, embd;
    readonly double attnDropout, residDropout;

    public Gpt2Attention(Gpt2Config c, Device? device, ScalarType? dtype) : base(nameof(Gpt2Attention))
    {
        heads = c.n_head; embd = c.n_embd; attnDropout = c.attn_pdrop; residDropout = c.resid_pdrop;
        c_attn = new Conv1D(embd, 3 * embd, device, dtype);
        c_proj = new Conv1D(embd, embd, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask, IKvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long B = x.shape[0], T = x.shape[1], hd = embd / heads;
        var qkv = c_attn.forward(x).split(embd, 2);                     // 3 × (B, T, C)
        var q = qkv[0].view(B, T, heads, hd).transpose(1, 2);           // (B, nh, T, hd)
        var k = qkv[1].view(B, T, heads, hd).transpose(1, 2);
        var v = qkv[2].view(B, T, heads, hd).transpose(1, 2);
        if (cache is not null) (k, v) = cache.Update(layer, k, v);    // (B, nh, P+T, hd)
        var y = nn.functional.scaled_dot_product_attention(q, k, v, mask,
            p: training ? attnDropout : 0.0, is_casual: mask is null); // null mask = plain causal, no past
        y = y.transpose(1, 2).reshape(B, T, embd);
        y = nn.functional.dropout(c_proj.forward(y), residDropout, training);
        return y.MoveToOuterDisposeScope();
    }
}

/// <summary>GPT-2 MLP. Keys: c_fc, c_proj.</summary>
public sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    // Declared as Module<Tensor, Tensor> (not the sealed Conv1D) so a LoRA adapter can stand in for one.
    public nn.Module<Tensor, Tensor> c_fc, c_proj;
    readonly string activation;
    readonly double dropout;

    public Gpt2Mlp(Gpt2Config c, Device? device, ScalarType? dtype) : base(nameof(Gpt2Mlp))
    {
        c_fc = new Conv1D(c.n_embd, c.n_inner, device, dtype);
        c_proj = new Conv1D(c.n_inner, c.n_embd, device, dtype);
        activation = c.activation_function; dropout = c.resid_pdrop;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = c_fc.forward(x);
        h = activation switch
        {
            "relu" => nn.functional.relu(h),
            "gelu" => nn.functional.gelu(h),
            _ => nn.functional.gelu(h, GELU.Approximate.tanh), // gelu_new == tanh approximation
        };
        return nn.functional.dropout(c_proj.forward(h), dropout, training).MoveToOuterDisposeScope();
    }
}

/// <summary>Pre-LN block. Keys: ln_1, attn, ln_2, mlp.</summary>
public sealed class Gpt2Block : nn.Module
{
    public LayerNorm ln_1, ln_2;
    public Gpt2Attention attn;
    public Gpt2Mlp mlp;

    public Gpt2Block(Gpt2Config c, Device? device, ScalarType? dtype) : base(nameof(Gpt2Block))
    {
        ln_1 = nn.LayerNorm(c.n_embd, c.layer_norm_epsilon, device: device, dtype: dtype);
        attn = new Gpt2Attention(c, device, dtype);
        ln_2 = nn.LayerNorm(c.n_embd, c.layer_norm_epsilon, device: device, dtype: dtype);
        mlp = new Gpt2Mlp(c, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask, IKvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.Forward(ln_1.forward(x), mask, cache, layer);
        return (h + mlp.forward(ln_2.forward(h))).MoveToOuterDisposeScope();
    }
}
