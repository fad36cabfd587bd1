using TorchSharp;
using TuneSharp.Generation.Constraints;
using static TorchSharp.torch;

namespace TuneSharp.Generation;

/// <summary>
/// One row being generated, whichever loop decodes it (<see cref="BatchGenerator"/>'s lockstep batch or the
/// continuous batcher): the tokens it has seen, the ones it produced, its constraint, and why it ended. Both loops
/// pick and record tokens here, so a row decodes the same way in either.
/// </summary>
public sealed class GeneratedRow
{
    readonly GenerationOptions options;
    readonly List<int> seen;
    readonly List<int> newIds = [];
    readonly List<TokenLogprob>? logprobs;
    readonly ITokenConstraint? constraint;

    /// <summary>A row continuing <paramref name="prompt"/>.</summary>
    public GeneratedRow(IReadOnlyList<int> prompt, GenerationOptions options)
    {
        Prompt = prompt;
        this.options = options;
        seen = [.. prompt];
        logprobs = options.Logprobs is null ? null : [];
        constraint = options.Constraint?.Invoke();
    }

    /// <summary>The prompt ids.</summary>
    public IReadOnlyList<int> Prompt { get; }

    /// <summary>The generated ids so far (a stop or eos token that ended the row included).</summary>
    public IReadOnlyList<int> NewIds => newIds;

    /// <summary>"stop" or "length" once the row ended; null while it runs.</summary>
    public string? Finish { get; private set; }

    /// <summary>
    /// True when the next token is the plain argmax of the logits (greedy, no penalty, constraint or logprobs), so a
    /// batch can pick it for many rows in one operation (<see cref="Accept"/>).
    /// </summary>
    public static bool IsPlainGreedy(GenerationOptions o) =>
        o.Temperature == 0 && o.Constraint is null && o.Logprobs is null && o.RepetitionPenalty == 1.0
        && o.PresencePenalty == 0 && o.FrequencyPenalty == 0;

    /// <summary>
    /// Picks the next token from this row's logits (V,) and records it (<see cref="Accept"/>). When the constraint
    /// leaves no token, the row ends with "length" and nothing is recorded. Returns the token, or null.
    /// </summary>
    public int? Choose(Tensor logits, Generator? generator, IReadOnlySet<int> stopIds, Func<int, int, TokenLogprob?, bool>? onToken, int row)
    {
        var allowed = constraint?.Allowed(options.MaxNewTokens - newIds.Count);
        if (allowed is not null && !allowed.Contains(true)) { Finish = "length"; return null; } // no way left to complete it
        int next = Sampler.Next(logits, options, seen, generator, newIds, allowed);
        TokenLogprob? lp = logprobs is null ? null : LogprobMath.Of(logits, next, options.Logprobs!.Value);
        Accept(next, lp, stopIds, onToken, row);
        return next;
    }

    /// <summary>
    /// Records <paramref name="next"/> as the row's next token, tells <paramref name="onToken"/> (row, id, logprob;
    /// true = stop), and ends the row on a stop or eos token, a finished constraint, or max_new_tokens.
    /// </summary>
    public void Accept(int next, TokenLogprob? logprob, IReadOnlySet<int> stopIds, Func<int, int, TokenLogprob?, bool>? onToken, int row)
    {
        constraint?.Accept(next);
        if (logprob is not null) logprobs!.Add(logprob);
        seen.Add(next);
        newIds.Add(next);
        bool stopRow = onToken?.Invoke(row, next, logprob) ?? false;
        if (stopRow || stopIds.Contains(next) || constraint?.Finished == true) Finish = "stop";
        else if (newIds.Count >= options.MaxNewTokens) Finish = "length";
    }

    /// <summary>Ends a row that was given no room to generate (max_new_tokens 0).</summary>
    public void EndForLength() => Finish ??= "length";

    /// <summary>The row as a finished result.</summary>
    public GenerationResult Result() => new([.. Prompt], newIds, logprobs, Finish ?? "length");

    /// <summary>The ids that end rows: <paramref name="options"/>' stop tokens, and the model's eos unless ignore_eos.</summary>
    public static IReadOnlySet<int> StopIds(GenerationOptions options, IReadOnlyList<int> eosTokenIds)
    {
        var stop = new HashSet<int>(options.StopTokenIds);
        if (!options.IgnoreEos) stop.UnionWith(eosTokenIds);
        return stop;
    }
}
