using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>
/// Causal-LM batches, padded or packed. Padded: one example per row, right-padded; tensors input_ids,
/// attention_mask (B, T) and labels (B, T) with -100 on padding. Packed (transformers'
/// DataCollatorWithFlattening, with an explicit mask instead of flash-attention varlen): examples are placed
/// into rows of up to <c>maxLength</c> tokens in order (next-fit); position_ids restart at 0 for every example;
/// the first label of every example is -100 so no example is trained to predict the next one's first token;
/// attention_mask is the block-diagonal causal mask (R, 1, T, T) (bool), so examples never attend to each other.
/// </summary>
public static class LmCollator
{
    public static Batch Padded(IReadOnlyList<LmExample> items, long padId, Device device)
    {
        var ids = items.Select(e => e.Ids).ToList();
        var batch = new Batch
        {
            Examples = items.Count,
            InputTokens = ids.Sum(r => (long)r.Length),
            LossTokens = items.Sum(e => (long)e.TrainedTokens),
        };
        batch.Tensors["input_ids"] = Rows.Pad(ids, padId, device);
        batch.Tensors["attention_mask"] = Rows.Mask(ids, device);
        batch.Tensors["labels"] = Rows.Pad(items.Select(e => e.Labels).ToList(), CausalLMLoss.IgnoreIndex, device);
        return batch;
    }

    public static Batch Packed(IReadOnlyList<LmExample> items, int maxLength, long padId, Device device)
    {
        var rows = new List<List<LmExample>>();
        int used = 0;
        foreach (var e in items)
        {
            if (rows.Count == 0 || used + e.Ids.Length > maxLength) { rows.Add([]); used = 0; }
            rows[^1].Add(e);
            used += e.Ids.Length;
        }
        var ids = new List<int[]>();
        var labels = new List<int[]>();
        var positions = new List<int[]>();
        var segments = new List<int[]>();
        foreach (var row in rows)
        {
            ids.Add(row.SelectMany(e => e.Ids).ToArray());
            labels.Add(row.SelectMany(e => e.Labels.Select((l, i) => i == 0 ? (int)CausalLMLoss.IgnoreIndex : l)).ToArray());
            positions.Add(row.SelectMany(e => Enumerable.Range(0, e.Ids.Length)).ToArray());
            segments.Add(row.SelectMany((e, k) => Enumerable.Repeat(k, e.Ids.Length)).ToArray());
        }
        int T = ids.Max(r => r.Length);
        var batch = new Batch
        {
            Examples = items.Count,
            InputTokens = ids.Sum(r => (long)r.Length),
            LossTokens = labels.Sum(r => (long)r.Skip(1).Count(l => l >= 0)),
        };
        batch.Tensors["input_ids"] = Rows.Pad(ids, padId, device, T);
        batch.Tensors["labels"] = Rows.Pad(labels, CausalLMLoss.IgnoreIndex, device, T);
        batch.Tensors["position_ids"] = Rows.Pad(positions, 0, device, T);
        batch.Tensors["attention_mask"] = BlockCausalMask(segments, T, device);
        return batch;
    }

    /// <summary>(R, 1, T, T) bool: query q may see key k when both are in the same example and k ≤ q. Padding is its own segment per position.</summary>
    static Tensor BlockCausalMask(List<int[]> segments, int T, Device device)
    {
        using var scope = NewDisposeScope();
        var seg = Rows.Pad(segments, -1, device, T);                                            // (R, T), -1 = padding
        var pad = seg.lt(0);
        var unique = arange(T, dtype: ScalarType.Int64, device: device).neg().sub(1).unsqueeze(0); // (1, T): -1, -2, …
        seg = where(pad, unique.expand(seg.shape[0], -1), seg);                                  // padding: a segment of one
        var same = seg.unsqueeze(2).eq(seg.unsqueeze(1));                                       // (R, T, T)
        var causal = ones(T, T, dtype: ScalarType.Bool, device: device).tril();                 // (T, T)
        return same.logical_and(causal).unsqueeze(1).MoveToOuterDisposeScope();                 // (R, 1, T, T)
    }
}
