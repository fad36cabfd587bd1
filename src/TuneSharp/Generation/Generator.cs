using TorchSharp;
using TuneSharp.Models;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Generation;

/// <summary>Single-prompt autoregressive decoding with an optional KV cache.</summary>
public static class TextGenerator
{
    /// <summary>
    /// Generates up to MaxNewTokens after <paramref name="promptIds"/>. Stops at an eos or stop token unless
    /// IgnoreEos (the stop token is kept in NewIds). <paramref name="onToken"/> streams each new id.
    /// Log-probabilities come from the model's raw distribution (log-softmax of the logits, before
    /// temperature or filtering).
    /// </summary>
    public static GenerationResult Generate(ICausalLM model, IReadOnlyList<int> promptIds, GenerationOptions options,
        Action<int>? onToken = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (promptIds.Count == 0) throw new UserError("prompt: it encodes to no tokens; give a non-empty prompt");
        int limit = model.Info.MaxPositionEmbeddings;
        if (promptIds.Count + options.MaxNewTokens > limit)
            throw new UserError($"prompt ({promptIds.Count} tokens) + max_new_tokens ({options.MaxNewTokens}) exceeds the model's context length {limit}");

        var stop = new HashSet<int>(options.StopTokenIds);
        if (!options.IgnoreEos) stop.UnionWith(model.Info.EosTokenIds);
        var all = new List<int>(promptIds);
        var newIds = new List<int>();
        var logprobs = options.Logprobs is null ? null : new List<TokenLogprob>();
        string finish = "length";
        var device = model.Module.parameters().First().device;
        using var generator = options.Seed is long seed ? new Generator((ulong)seed, device) : null;
        using var cache = options.UseCache ? model.NewCache() : null;
        using var noGrad = no_grad();

        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            // With a cache only the tokens not yet seen are fed; without, the whole sequence each time.
            var feed = cache is null || step == 0 ? all : all.GetRange(all.Count - 1, 1);
            var input = tensor(feed.Select(i => (long)i).ToArray(), device: device).unsqueeze(0);   // (1, T)
            var logits = model.Forward(input, null, null, cache)[0, -1];                           // (V,)
            int next = Sampler.Next(logits, options, all, generator);
            if (logprobs is not null) logprobs.Add(LogprobMath.Of(logits, next, options.Logprobs!.Value));
            all.Add(next);
            newIds.Add(next);
            onToken?.Invoke(next);
            if (stop.Contains(next)) { finish = "stop"; break; }
        }
        return new GenerationResult(promptIds.ToList(), newIds, logprobs, finish);
    }
}
