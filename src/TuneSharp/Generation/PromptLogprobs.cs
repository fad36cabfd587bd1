using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Generation;

/// <summary>The log-probability of each prompt token given the tokens before it (OpenAI's echo with logprobs).</summary>
public static class PromptLogprobs
{
    /// <summary>
    /// One forward pass over <paramref name="prompt"/>: entry t is token t's log-probability under the model's
    /// prediction at t − 1, with the <paramref name="topK"/> best alternatives; entry 0 is null (nothing predicts it).
    /// </summary>
    public static IReadOnlyList<TokenLogprob?> Of(ICausalLM model, IReadOnlyList<int> prompt, int topK)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool training = model.Module.training;
        model.Module.eval();
        try
        {
            var device = model.Module.parameters().First().device;
            var ids = tensor(prompt.Select(i => (long)i).ToArray(), device: device).unsqueeze(0);   // (1, T)
            var logits = model.Forward(ids, null, null, null)[0];                                      // (T, V)
            var result = new TokenLogprob?[prompt.Count];
            for (int t = 1; t < prompt.Count; t++) result[t] = LogprobMath.Of(logits[t - 1], prompt[t], topK);
            return result;
        }
        finally { model.Module.train(training); }
    }
}
