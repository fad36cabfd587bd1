using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>
/// One KV cache per sequence, kept in a fixed slot of a preallocated tensor per layer, (S, nkv, capacity, hd): the
/// sequence in slot s holds its positions 0..len-1 in row s. A forward runs over any set of slots, each row at its own
/// length (<see cref="Rows"/>), so with continuous batching a sequence joins or leaves the running batch without the
/// others being re-padded or copied. The capacity (positions per slot) grows by doubling as sequences get longer.
/// The tensors live outside any dispose scope and are freed by <see cref="Dispose"/>.
/// </summary>
public sealed class SlotKvCache : IDisposable
{
    readonly Tensor?[] keys;
    readonly Tensor?[] values;

    /// <summary>A cache of <paramref name="slots"/> sequences for a model of <paramref name="layers"/> layers.</summary>
    public SlotKvCache(int layers, int slots, int initialCapacity = 64)
    {
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), slots, "at least one slot");
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
        Slots = slots;
        Capacity = Math.Max(1, initialCapacity);
    }

    /// <summary>Sequences the cache holds at most.</summary>
    public int Slots { get; }

    /// <summary>Positions each slot holds now.</summary>
    public long Capacity { get; private set; }

    /// <summary>
    /// The cache as one forward sees it: row b of the batch is slot <paramref name="slots"/>[b], whose first
    /// <paramref name="lengths"/>[b] positions are cached, and whose <paramref name="newTokens"/> new tokens are stored
    /// at positions lengths[b], lengths[b]+1, ... (a row with fewer real tokens stores padding there, which later
    /// tokens overwrite before any query can see it). The caller passes an explicit 4D mask: the rows' lengths differ.
    /// Index tensors are made here, in the caller's dispose scope, and must outlive the forward.
    /// </summary>
    public IKvCache Rows(IReadOnlyList<int> slots, IReadOnlyList<long> lengths, int newTokens, Device device)
    {
        if (slots.Count != lengths.Count || slots.Count == 0) throw new ArgumentException("one length per slot, at least one slot");
        long visible = lengths.Max() + newTokens;
        Reserve(visible);
        var rowIndex = tensor(slots.Select(s => (long)s).ToArray(), device: device).unsqueeze(1).expand(-1, newTokens);  // (B, T)
        var positionIndex = (tensor(lengths.ToArray(), device: device).unsqueeze(1)
            + arange(newTokens, dtype: ScalarType.Int64, device: device).unsqueeze(0));                                // (B, T)
        bool contiguous = slots.Select((s, i) => s == slots[0] + i).All(x => x);
        return new SlotRows(this, rowIndex, positionIndex, contiguous ? slots[0] : -1,
            contiguous ? null : tensor(slots.Select(s => (long)s).ToArray(), device: device), slots.Count, visible);
    }

    /// <summary>Copies the first <paramref name="length"/> positions of slot <paramref name="from"/> into slot <paramref name="to"/>.</summary>
    public void Move(int from, int to, long length)
    {
        if (from == to || length == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var store in new[] { keys, values })
            foreach (var t in store)
                t?[to].narrow(1, 0, length).copy_(t[from].narrow(1, 0, length));
    }

    /// <summary>Exchanges the first <paramref name="length"/> positions of two slots.</summary>
    public void Swap(int a, int b, long length)
    {
        if (a == b || length == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var store in new[] { keys, values })
            foreach (var t in store)
            {
                if (t is null) continue;
                var kept = t[a].narrow(1, 0, length).clone();
                t[a].narrow(1, 0, length).copy_(t[b].narrow(1, 0, length));
                t[b].narrow(1, 0, length).copy_(kept);
            }
    }

    /// <summary>Grows every layer's tensors so that each slot holds at least <paramref name="positions"/> positions.</summary>
    void Reserve(long positions)
    {
        if (positions <= Capacity) return;
        long grown = Capacity;
        while (grown < positions) grown *= 2;
        using var noGrad = no_grad();
        foreach (var store in new[] { keys, values })
            for (int i = 0; i < store.Length; i++)
            {
                if (store[i] is not { } old) continue;
                var bigger = zeros(old.shape[0], old.shape[1], grown, old.shape[3], old.dtype, old.device);
                bigger.narrow(2, 0, Capacity).copy_(old);
                old.Dispose();
                store[i] = bigger.DetachFromDisposeScope();
            }
        Capacity = grown;
    }

    Tensor Store(Tensor?[] store, int layer, Tensor like)
    {
        // Allocated on first use, when the layer's head count, head size, dtype and device are known.
        store[layer] ??= zeros(Slots, like.shape[1], Capacity, like.shape[3], like.dtype, like.device).DetachFromDisposeScope();
        return store[layer]!;
    }

    public void Dispose()
    {
        foreach (var t in keys) t?.Dispose();
        foreach (var t in values) t?.Dispose();
        Array.Clear(keys);
        Array.Clear(values);
    }

    /// <summary>One forward's view: writes the new keys/values into the rows' slots, reads back the visible prefix.</summary>
    sealed class SlotRows(SlotKvCache cache, Tensor rowIndex, Tensor positionIndex, int firstSlot, Tensor? slotIndex, int rows, long visible) : IKvCache
    {
        /// <summary>The longest row's cached length; the batcher passes explicit positions and masks, so models do not rely on it.</summary>
        public long Length => visible - rowIndex.shape[1];

        public (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v) =>
            (Write(cache.Store(cache.keys, layer, k), k), Write(cache.Store(cache.values, layer, v), v));

        Tensor Write(Tensor store, Tensor next)
        {
            // store (S, nkv, cap, hd); next (B, nkv, T, hd). Advanced indices on dims 0 and 2 put (B, T) first,
            // so the values are next as (B, T, nkv, hd).
            using (no_grad())
                store.index_put_(next.detach().permute(0, 2, 1, 3),
                    TensorIndex.Tensor(rowIndex), TensorIndex.Colon, TensorIndex.Tensor(positionIndex));
            var rowsOf = slotIndex is null ? store.narrow(0, firstSlot, rows) : store.index_select(0, slotIndex); // (B, nkv, cap, hd)
            return rowsOf.narrow(2, 0, visible);                                                                      // (B, nkv, P+T, hd)
        }
    }
}
