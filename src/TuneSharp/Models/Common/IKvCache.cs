using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>
/// What an attention layer asks of a KV cache: store this forward's keys and values for a layer and hand back every
/// key and value the queries may see. <see cref="KvCache"/> appends (one batch decoding in lockstep);
/// <see cref="SlotKvCache"/> keeps each sequence in its own slot (continuous batching).
/// </summary>
public interface IKvCache
{
    /// <summary>Positions cached before this forward (the default position offset and causal-mask offset).</summary>
    long Length { get; }

    /// <summary>Stores k, v (B, nkv, T, hd) of <paramref name="layer"/> and returns the keys and values to attend to, (B, nkv, P+T, hd).</summary>
    (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v);
}
