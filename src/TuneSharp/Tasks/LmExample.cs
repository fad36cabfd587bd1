namespace TuneSharp.Tasks;

/// <summary>
/// A causal-LM training row. <paramref name="Labels"/> is aligned with <paramref name="Ids"/> (labels[t] is the
/// target for the prediction made at t-1, as <see cref="Models.CausalLMLoss"/> shifts): the token id where the
/// token is trained, -100 where it is context (prompt, system, user turns).
/// </summary>
/// <param name="Ids">Token ids.</param>
/// <param name="Labels">Same length: id or -100.</param>
/// <param name="PromptIds">Seq2seq and SFT: the ids generation starts from (source + separator, the prompt, or the chat
/// rendered up to the last assistant turn with the generation prompt); null for pretraining blocks.</param>
/// <param name="Reference">Seq2seq and SFT: the text generations are scored against (target, completion, last assistant message).</param>
public sealed record LmExample(int[] Ids, int[] Labels, int[]? PromptIds = null, string? Reference = null)
{
    /// <summary>Number of trained tokens (labels other than -100, the first position excluded: nothing predicts it).</summary>
    public int TrainedTokens => Labels.Skip(1).Count(l => l >= 0);

    /// <summary>Prompt ids followed by completion ids (+ EOS), labels -100 on the prompt.</summary>
    public static LmExample PromptCompletion(IReadOnlyList<int> prompt, IReadOnlyList<int> completion, int? eos)
    {
        var ids = new List<int>(prompt.Count + completion.Count + 1);
        ids.AddRange(prompt);
        ids.AddRange(completion);
        if (eos is int e && (completion.Count == 0 || completion[^1] != e)) ids.Add(e);
        var labels = ids.Select((id, i) => i < prompt.Count ? (int)Models.CausalLMLoss.IgnoreIndex : id).ToArray();
        return new LmExample(ids.ToArray(), labels);
    }

    /// <summary>The first <paramref name="length"/> tokens.</summary>
    public LmExample Truncate(int length) => Ids.Length <= length ? this : this with { Ids = Ids[..length], Labels = Labels[..length] };
}
