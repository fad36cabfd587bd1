using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>Boolean attention masks for SDPA: true = the query may attend to the key.</summary>
public static class AttentionMasks
{
    /// <summary>
    /// Causal + padding mask (B, 1, T, P+T) for T new queries after P cached positions. A 4D
    /// <paramref name="attentionMask"/> is taken as the full mask already (see <see cref="Explicit"/>).
    /// <paramref name="attentionMask"/> is (B, P+T) with 1 for real tokens. Returns null when a plain
    /// causal SDPA is exact (no padding, no cache). Rows with no visible key (left-padding queries)
    /// are opened fully so SDPA gives finite values; their outputs are ignored downstream.
    /// </summary>
    public static Tensor? Causal(Tensor? attentionMask, long queryLength, long pastLength, Device device)
    {
        if (attentionMask is not null && attentionMask.dim() == 4) return Explicit(attentionMask, device);
        bool anyPadding = attentionMask is not null && attentionMask.eq(0).any().item<bool>();
        if (!anyPadding && pastLength == 0) return null;
        using var scope = NewDisposeScope();
        long total = pastLength + queryLength;
        var q = arange(pastLength, total, device: device).unsqueeze(1); // (T, 1)
        var k = arange(0, total, device: device).unsqueeze(0);          // (1, P+T)
        var allowed = k.le(q).unsqueeze(0).unsqueeze(0);                // (1, 1, T, P+T)
        if (attentionMask is not null)
            allowed = allowed.logical_and(attentionMask.to(device).ne(0).unsqueeze(1).unsqueeze(1)); // (B, 1, T, P+T)
        allowed = allowed.logical_or(allowed.any(-1, keepdim: true).logical_not());
        return allowed.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A caller-built mask (B, 1, T, P+T), nonzero = may attend, used as given: e.g. the block-diagonal causal
    /// mask of packed sequences, where each example attends only to its own earlier tokens. Rows with no
    /// visible key are opened fully, as in <see cref="Causal"/>, so SDPA stays finite.
    /// </summary>
    public static Tensor Explicit(Tensor mask4d, Device device)
    {
        if (mask4d.dim() != 4) throw new ArgumentException($"expected a 4D mask (B, 1, T, P+T), got {mask4d.dim()}D", nameof(mask4d));
        using var scope = NewDisposeScope();
        var allowed = mask4d.to(device).ne(0);                                    // (B, 1, T, P+T) bool
        allowed = allowed.logical_or(allowed.any(-1, keepdim: true).logical_not());
        return allowed.MoveToOuterDisposeScope();
    }

    /// <summary>Bidirectional padding mask (B, 1, 1, T) for encoders; null when nothing is padded.</summary>
    public static Tensor? Padding(Tensor? attentionMask, Device device)
    {
        if (attentionMask is null || !attentionMask.eq(0).any().item<bool>()) return null;
        return attentionMask.to(device).ne(0).unsqueeze(1).unsqueeze(1);
    }
}
