using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models;

/// <summary>
/// Next-token cross-entropy fused with the vocabulary projection, in chunks of rows, so that the full logits
/// (B·T, V) in fp32 are never materialised: for GPT-2 at 16 × 1024 tokens they alone are 3.3 GB, with the softmax
/// and its gradient three times that. For each chunk of rows the logits are computed, reduced to the loss, and
/// turned at once into the gradients of the hidden states and of the projection weight (as Liger's fused linear
/// cross-entropy does), so the chunk's logits are freed before the next one. The gradients are handed to autograd
/// through a surrogate whose derivative is exactly them: loss = value + Σ h·∂h + Σ W·∂W − (the same, detached),
/// so no custom autograd node (and no native callback) is needed and whatever multiplies the loss afterwards
/// (gradient accumulation weights) scales the gradients as it should. Same value and gradients as
/// <see cref="CausalLMLoss.Compute"/> up to float rounding (test).
/// </summary>
public static class ChunkedCrossEntropy
{
    /// <summary>Default rows per chunk: about 2^26 fp32 logits (256 MB) per chunk.</summary>
    public static long DefaultChunkRows(long vocab) => Math.Max(1, (1L << 26) / vocab);

    /// <summary>
    /// hidden (B, T, C) final hidden states; weight (V, C) the output projection; labels (B, T) aligned with the inputs
    /// (position t predicts labels[t+1]), -100 ignored. Returns the mean (or sum) over the counted labels, fp32.
    /// </summary>
    public static Tensor Compute(Tensor hidden, Tensor weight, Tensor labels, double labelSmoothing = 0.0,
        bool sumInsteadOfMean = false, long chunkRows = 0)
    {
        using var scope = NewDisposeScope();
        long C = hidden.shape[^1], V = weight.shape[0];
        if (chunkRows <= 0) chunkRows = DefaultChunkRows(V);
        var h = hidden.narrow(1, 0, hidden.shape[1] - 1).reshape(-1, C);                  // (N, C)
        var y = labels.to(hidden.device).narrow(1, 1, labels.shape[1] - 1).reshape(-1);   // (N)
        long N = h.shape[0];
        var valid = y.ne(CausalLMLoss.IgnoreIndex);
        double count = sumInsteadOfMean ? 1 : valid.sum().item<long>();
        bool needH = h.requires_grad, needW = weight.requires_grad;

        Tensor lossSum, gradH, gradW;
        using (no_grad())
        {
            lossSum = zeros(1, dtype: ScalarType.Float32, device: h.device);
            gradH = needH ? empty_like(h) : empty(0);
            gradW = needW ? zeros(V, C, dtype: ScalarType.Float32, device: h.device) : empty(0);
            var hd = h.detach(); var wd = weight.detach();
            for (long start = 0; start < N; start += chunkRows)
            {
                using var chunk = NewDisposeScope();
                long n = Math.Min(chunkRows, N - start);
                var hc = hd.narrow(0, start, n);                                            // (n, C)
                var yc = y.narrow(0, start, n);
                var ok = valid.narrow(0, start, n);
                var target = where(ok, yc, zeros_like(yc)).unsqueeze(1);                    // (n, 1)
                var logits = hc.matmul(wd.t()).to_type(ScalarType.Float32);                 // (n, V) fp32
                var lse = logits.logsumexp(1, keepdim: true);                               // (n, 1)
                var nll = lse - logits.gather(1, target);                                   // (n, 1)
                var per = labelSmoothing > 0 ? nll * (1 - labelSmoothing) + (lse - logits.mean([1], keepdim: true)) * labelSmoothing : nll;
                var mask = ok.unsqueeze(1).to_type(ScalarType.Float32);                     // (n, 1)
                lossSum.add_((per * mask).sum());
                if (!needH && !needW) continue;
                // d loss / d logits = softmax − (1 − ε)·onehot − ε/V, zero on ignored rows, over the count.
                var g = logits.sub_(lse).exp_();                                            // (n, V), reuses the logits
                g.scatter_add_(1, target, full_like(target, -(1 - labelSmoothing), dtype: ScalarType.Float32));
                if (labelSmoothing > 0) g.sub_(labelSmoothing / V);
                g.mul_(mask.div(count));
                var gc = g.to_type(h.dtype);
                if (needH) gradH.narrow(0, start, n).copy_(gc.matmul(wd));                 // (n, C)
                if (needW) gradW.add_(gc.t().matmul(hc));                                   // (V, C)
            }
        }
        var value = lossSum.squeeze(0).div(count);
        // The surrogate: zero in value, and its gradient is ∂h and ∂W.
        var surrogate = zeros(1, dtype: ScalarType.Float32, device: h.device).squeeze(0);
        if (needH) surrogate = surrogate + (h * gradH).sum(ScalarType.Float32);
        if (needW) surrogate = surrogate + (weight * gradW.to_type(weight.dtype)).sum(ScalarType.Float32);
        return (value + surrogate - surrogate.detach()).MoveToOuterDisposeScope();
    }
}
