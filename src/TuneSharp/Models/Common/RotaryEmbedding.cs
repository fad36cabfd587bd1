using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>
/// Rotary position embedding in Hugging Face's "rotate_half" layout (Llama, Qwen2, Mistral):
/// the first and second halves of each head dimension form the rotated pairs.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    readonly Tensor invFreq; // (head_dim/2,) float32, owned here, not checkpoint state

    public RotaryEmbedding(int headDim, RopeScaling scaling, Device device)
    {
        invFreq = InverseFrequencies(headDim, scaling).to(device).DetachFromDisposeScope();
    }

    /// <summary>
    /// inv_freq[i] = 1 / theta^(2i/d), then the scaling rule. Computed in float64 and stored as float32,
    /// matching transformers' float32 values to within one ulp.
    /// </summary>
    public static Tensor InverseFrequencies(int headDim, RopeScaling s)
    {
        int half = headDim / 2;
        var f = new double[half];
        for (int i = 0; i < half; i++) f[i] = 1.0 / Math.Pow(s.RopeTheta, 2.0 * i / headDim);
        if (s.RopeType == "linear")
            for (int i = 0; i < half; i++) f[i] /= s.Factor;
        else if (s.RopeType == "llama3")
        {
            // Llama 3.1: long wavelengths are slowed by `factor`, short ones kept, the band between interpolated.
            double lowWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
            double highWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
            for (int i = 0; i < half; i++)
            {
                double wavelen = 2 * Math.PI / f[i];
                if (wavelen < highWavelen) continue;
                if (wavelen > lowWavelen) { f[i] /= s.Factor; continue; }
                double smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                f[i] = (1 - smooth) * f[i] / s.Factor + smooth * f[i];
            }
        }
        return tensor(f.Select(x => (float)x).ToArray());
    }

    /// <summary>cos and sin for positions (B, T): each (B, 1, T, head_dim), in <paramref name="dtype"/>.</summary>
    public (Tensor cos, Tensor sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var freqs = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq; // (B, T, hd/2)
        var emb = cat([freqs, freqs], -1).unsqueeze(1);                               // (B, 1, T, hd)
        return (emb.cos().to_type(dtype).MoveToOuterDisposeScope(), emb.sin().to_type(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>x (B, nh, T, hd) rotated: x*cos + rotate_half(x)*sin.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([x2.neg(), x1], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    public void Dispose() => invFreq.Dispose();
}
