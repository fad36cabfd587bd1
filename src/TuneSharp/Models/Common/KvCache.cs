using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>
/// Keys and values of past positions, one pair per layer, each (B, n_kv_heads, T_past, head_dim).
/// The cache owns its tensors (they live outside any dispose scope) and frees them on Dispose.
/// </summary>
public sealed class KvCache : IKvCache, IDisposable
{
    readonly Tensor?[] keys;
    readonly Tensor?[] values;

    public KvCache(int layers)
    {
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
    }

    /// <summary>Number of cached positions (read before a forward pass: layer 0 grows first).</summary>
    public long Length => keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's k, v (B, nkv, T, hd) for a layer and returns the full cached k, v.</summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v)
    {
        keys[layer] = Append(keys[layer], k);
        values[layer] = Append(values[layer], v);
        return (keys[layer]!, values[layer]!);
    }

    static Tensor Append(Tensor? past, Tensor next)
    {
        var joined = past is null ? next.detach().clone() : cat([past, next.detach()], 2);
        past?.Dispose();
        return joined.DetachFromDisposeScope();
    }

    /// <summary>
    /// A new cache holding this one's rows each repeated <paramref name="times"/> times (B → B·times), so several
    /// continuations of one prompt (candidate answers, samples) share its prefill instead of recomputing it.
    /// </summary>
    public KvCache Repeat(int times)
    {
        var copy = new KvCache(keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            copy.keys[i] = keys[i]?.repeat_interleave(times, 0).DetachFromDisposeScope();
            copy.values[i] = values[i]?.repeat_interleave(times, 0).DetachFromDisposeScope();
        }
        return copy;
    }

    public void Dispose()
    {
        foreach (var t in keys) t?.Dispose();
        foreach (var t in values) t?.Dispose();
        Array.Clear(keys);
        Array.Clear(values);
    }
}
