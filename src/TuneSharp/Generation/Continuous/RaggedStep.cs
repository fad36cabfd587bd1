using TorchSharp;
using TuneSharp.Models;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Generation.Continuous;

/// <summary>
/// One forward over sequences that each sit at their own length in a <see cref="SlotKvCache"/>: row b has
/// lengths[b] cached positions and feeds tokens[b] (1 token when decoding, a prompt chunk when prefilling). Rows are
/// right-padded to the longest; row b's token t sits at position lengths[b] + t and sees its own positions up to
/// there, nothing of the other rows and nothing of padding.
/// </summary>
public static class RaggedStep
{
    /// <summary>Last hidden state (B, C) of each row's last real token, after the step stored its keys and values.</summary>
    public static Tensor LastHidden(ICausalLM model, SlotKvCache cache, IReadOnlyList<int> slots, IReadOnlyList<long> lengths,
        IReadOnlyList<IReadOnlyList<int>> tokens, long padId, Device device)
    {
        using var scope = NewDisposeScope();
        int rows = slots.Count, width = tokens.Max(t => t.Count);
        var ids = new long[rows * width];
        var positions = new long[rows * width];
        for (int b = 0; b < rows; b++)
            for (int t = 0; t < width; t++)
            {
                ids[b * width + t] = t < tokens[b].Count ? tokens[b][t] : padId;
                // Padding repeats the last real position so that it stays within the model's position table.
                positions[b * width + t] = lengths[b] + Math.Min(t, tokens[b].Count - 1);
            }
        var input = tensor(ids, device: device).reshape(rows, width);                              // (B, T)
        var positionIds = tensor(positions, device: device).reshape(rows, width);                   // (B, T)
        var mask = Mask(lengths, width, device);                                                    // (B, 1, T, P+T)
        var view = cache.Rows(slots, lengths, width, device);
        var hidden = model.HiddenStates(input, mask, positionIds, view);                            // (B, T, C)
        var last = tensor(tokens.Select(t => (long)t.Count - 1).ToArray(), device: device);        // (B,)
        return hidden.index(TensorIndex.Tensor(arange(rows, device: device)), TensorIndex.Tensor(last)).MoveToOuterDisposeScope(); // (B, C)
    }

    /// <summary>
    /// (B, 1, T, P+T) boolean, P+T = max(lengths) + T: query t of row b may see key j when j ≤ lengths[b] + t. Keys
    /// beyond a row's own length are other tokens' leftovers or not yet written, and stay hidden.
    /// </summary>
    public static Tensor Mask(IReadOnlyList<long> lengths, int width, Device device)
    {
        long keys = lengths.Max() + width;
        var limit = tensor(lengths.ToArray(), device: device).view(-1, 1, 1, 1)
            + arange(width, dtype: ScalarType.Int64, device: device).view(1, 1, -1, 1);            // (B, 1, T, 1)
        return arange(keys, dtype: ScalarType.Int64, device: device).view(1, 1, 1, -1).le(limit);  // (B, 1, T, P+T)
    }
}
