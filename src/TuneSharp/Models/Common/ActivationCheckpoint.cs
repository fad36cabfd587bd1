using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>
/// Activation checkpointing of one decoder block (transformers' gradient_checkpointing, PyTorch's reentrant
/// checkpoint): the forward runs without autograd and keeps only the block's input; the backward runs the block
/// again with autograd on and back-propagates through that recomputation, which also accumulates the block's
/// parameter gradients. Memory per block falls from every intermediate activation (attention probabilities,
/// the MLP's 4C-wide hidden, norms) to the (B, T, C) input, for one extra block forward in backward.
/// Dropout must draw the same masks twice: the forward reseeds the CPU and CUDA generators with a seed drawn
/// from the CPU generator and the recomputation reseeds with the same one, so a run stays deterministic.
/// </summary>
public static class ActivationCheckpoint
{
    public delegate Tensor Block(Tensor x, Tensor? a, Tensor? b, Tensor? c);

    /// <summary>y = block(x, a, b, c) with x (B, T, C) differentiable; a, b, c constant inputs (masks, RoPE tables) or null.</summary>
    public static Tensor Run(Tensor x, Tensor? a, Tensor? b, Tensor? c, Block block)
    {
        // An input that needs no gradient (the first block under LoRA or frozen embeddings) would make the custom
        // function's output need none either, cutting the block's own trainable weights (LoRA) out of the graph;
        // transformers works around it with enable_input_require_grads. Here that block simply runs plainly: one
        // block's activations kept, and every later block's input needs a gradient again.
        if (!x.requires_grad) return block(x, a, b, c);
        ReleaseReturnedGradients();
        long seed = randint(0, int.MaxValue, [1], dtype: ScalarType.Int64).item<long>();
        return Checkpointed.apply(x, a, b, c, new Closure(block, seed));
    }

    /// <summary>Two constant inputs.</summary>
    public static Tensor Run(Tensor x, Tensor? a, Tensor? b, Func<Tensor, Tensor?, Tensor?, Tensor> block) =>
        Run(x, a, b, null, (h, p, q, _) => block(h, p, q));

    sealed record Closure(Block Block, long Seed);

    static void Seed(long seed)
    {
        random.manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }

    // The gradient handed back from backward must outlive the callback (libtorch copies it after the callback returns),
    // so its C# handle is kept here and disposed at the next checkpointed forward, not left to the finalizer (GPU memory).
    static readonly List<Tensor> returned = [];

    static void ReleaseReturnedGradients()
    {
        lock (returned) { foreach (var t in returned) t.Dispose(); returned.Clear(); }
    }

    sealed class Checkpointed : autograd.SingleTensorFunction<Checkpointed>
    {
        public override string Name => "ActivationCheckpoint";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, a, b, c) = ((Tensor)vars[0], vars[1] as Tensor, vars[2] as Tensor, vars[3] as Tensor);
            var closure = (Closure)vars[4];
            ctx.save_for_backward([x, a!, b!, c!]);
            ctx.save_data("closure", closure);
            Seed(closure.Seed);
            return closure.Block(x, a, b, c);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            var closure = (Closure)ctx.get_data("closure");
            Tensor gradInput;
            using (var scope = NewDisposeScope())
            using (enable_grad())
            {
                var x = saved[0].detach().requires_grad_(true);
                Seed(closure.Seed);
                var y = closure.Block(x, saved[1], saved[2], saved[3]);
                autograd.backward([y], [gradOutput]);
                gradInput = x.grad!.DetachFromDisposeScope();
            }
            lock (returned) returned.Add(gradInput);
            foreach (var t in saved) t?.Dispose();
            return [gradInput, null!, null!, null!, null!];
        }
    }
}
