using TorchSharp;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Generation;

/// <summary>
/// Decodes several prompts together: prompts are left-padded to one length, one forward pass per step serves
/// the whole batch, and each row stops on its own (eos/stop token, <c>onToken</c> asking to stop, or MaxNewTokens).
/// Position ids come from the attention mask, so a padded row sees the same positions as when it runs alone.
/// </summary>
public static class BatchGenerator
{
    /// <summary>
    /// Generates after every prompt. <paramref name="onToken"/>(row, token id, logprob or null) is called for each
    /// new token in row order and returns true to stop that row (finish "stop"); stop and eos tokens are kept in
    /// NewIds. Rows are sampled in order from one seeded generator; <see cref="TextGenerator.Generate"/> is the batch of one.
    /// </summary>
    public static IReadOnlyList<GenerationResult> Generate(ICausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options, Func<int, int, TokenLogprob?, bool>? onToken = null, CancellationToken cancel = default)
    {
        CheckPrompts(model, prompts, options);
        int rows = prompts.Count;
        int promptLength = prompts.Max(p => p.Count);
        long padId = model.Info.PadTokenId ?? model.Info.EosTokenIds.FirstOrDefault();
        var padLeft = prompts.Select(p => promptLength - p.Count).ToArray();
        // Every row as fed to the model: left pads, prompt, then one token per step (pads once the row is done).
        var fed = prompts.Select((p, b) => Enumerable.Repeat(padId, padLeft[b]).Concat(p.Select(i => (long)i)).ToList()).ToList();
        var generated = prompts.Select(p => new GeneratedRow(p, options)).ToArray();
        if (options.MaxNewTokens == 0) foreach (var row in generated) row.EndForLength();
        var stop = GeneratedRow.StopIds(options, model.Info.EosTokenIds);

        var device = model.Module.parameters().First().device;
        using var generator = options.Seed is long seed ? new Generator((ulong)seed, device) : null;
        using var cache = options.UseCache ? model.NewCache() : null;
        using var noGrad = no_grad();

        for (int step = 0; generated.Any(r => r.Finish is null); step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int total = promptLength + step;
            // With a cache only the last token of each row is fed (B, 1); without, the whole padded rows (B, total).
            int start = cache is null || step == 0 ? 0 : total - 1;
            var input = tensor(fed.SelectMany(r => r.Skip(start)).ToArray(), device: device).reshape(rows, total - start);
            var mask = MaskAndPositions(padLeft, total, start, device, out var positions);         // (B, total), (B, T)
            var logits = model.Forward(input, mask, positions, cache).select(1, -1);                 // (B, V)
            for (int b = 0; b < rows; b++)
            {
                int? next = generated[b].Finish is null ? generated[b].Choose(logits[b], generator, stop, onToken, b) : null;
                fed[b].Add(next ?? padId);
            }
        }
        return generated.Select(r => r.Result()).ToList();
    }

    /// <summary>
    /// The checks every decoding loop makes first: valid options, at least one prompt, none empty, and each prompt plus
    /// max_new_tokens within the model's context. Bad input is a <see cref="UserError"/>.
    /// </summary>
    public static void CheckPrompts(ICausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0) throw new UserError("prompt: give at least one prompt");
        int limit = model.Info.MaxPositionEmbeddings;
        foreach (var p in prompts)
        {
            if (p.Count == 0) throw new UserError("prompt: it encodes to no tokens; give a non-empty prompt");
            if (p.Count + options.MaxNewTokens > limit)
                throw new UserError($"prompt ({p.Count} tokens) + max_new_tokens ({options.MaxNewTokens}) exceeds the model's context length {limit}");
        }
    }

    /// <summary>
    /// The padding mask (B, total), 1 from each row's first real token, and position ids (B, total - start) for the
    /// fed columns: a row's first real token is position 0 (pads get 0 too; they are masked). Null mask when no row
    /// is padded, the exact unpadded case.
    /// </summary>
    static Tensor? MaskAndPositions(int[] padLeft, int total, int start, Device device, out Tensor positions)
    {
        var columns = arange(total, dtype: ScalarType.Int64, device: device).unsqueeze(0);              // (1, total)
        var pads = tensor(padLeft.Select(p => (long)p).ToArray(), device: device).unsqueeze(1);           // (B, 1)
        positions = (columns - pads).clamp_min(0).narrow(1, start, total - start);                       // (B, T)
        if (padLeft.All(p => p == 0)) return null;
        return columns.ge(pads).to_type(ScalarType.Int64);                                               // (B, total)
    }
}
