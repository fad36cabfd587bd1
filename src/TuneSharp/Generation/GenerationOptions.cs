namespace TuneSharp.Generation;

/// <summary>Decoding settings. Temperature 0 means greedy (argmax).</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 32;
    /// <summary>0 = greedy; otherwise logits are divided by it before sampling.</summary>
    public double Temperature { get; init; }
    /// <summary>Keep only the k most likely tokens (0 = off).</summary>
    public int TopK { get; init; }
    /// <summary>Nucleus sampling: keep the smallest set whose probability reaches p (1 = off).</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Drop tokens whose probability is below min_p × the top probability (0 = off).</summary>
    public double MinP { get; init; }
    /// <summary>CTRL-style penalty on tokens already present (1 = off), as transformers applies it.</summary>
    public double RepetitionPenalty { get; init; } = 1.0;
    /// <summary>OpenAI's presence penalty: subtracted once from the logit of every token already generated (0 = off).</summary>
    public double PresencePenalty { get; init; }
    /// <summary>OpenAI's frequency penalty: subtracted from a token's logit once per time it was generated (0 = off).</summary>
    public double FrequencyPenalty { get; init; }
    /// <summary>
    /// Constrained decoding: makes one <see cref="Constraints.ITokenConstraint"/> per row (e.g. a JSON schema); tokens it
    /// does not allow are never sampled, and the row stops when it is finished. Null = free text.
    /// </summary>
    public Func<Constraints.ITokenConstraint>? Constraint { get; init; }
    /// <summary>Keep generating past end-of-sequence tokens.</summary>
    public bool IgnoreEos { get; init; }
    /// <summary>Extra token ids that stop generation (besides the model's eos ids).</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];
    /// <summary>
    /// Strings that end generation when they appear in the decoded text; the text is cut before the first one, as
    /// OpenAI does (only <see cref="TextCompletion"/>, which decodes, applies them).
    /// </summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>Return log-probabilities with this many top alternatives per new token (null = none).</summary>
    public int? Logprobs { get; init; }
    /// <summary>Seed for sampling; null draws from the global generator.</summary>
    public long? Seed { get; init; }
    /// <summary>Reuse past keys/values (the default); off recomputes the whole sequence each step.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Checks ranges; bad values are user errors naming the option.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 0) throw new UserError($"max_new_tokens: must be >= 0, got {MaxNewTokens}");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new UserError($"temperature: must be >= 0, got {Temperature}");
        if (TopK < 0) throw new UserError($"top_k: must be >= 0, got {TopK}");
        if (!(TopP > 0 && TopP <= 1)) throw new UserError($"top_p: must be in (0, 1], got {TopP}");
        if (!(MinP >= 0 && MinP <= 1)) throw new UserError($"min_p: must be in [0, 1], got {MinP}");
        if (PresencePenalty is < -2 or > 2 || double.IsNaN(PresencePenalty)) throw new UserError($"presence_penalty: must be between -2 and 2, got {PresencePenalty}");
        if (FrequencyPenalty is < -2 or > 2 || double.IsNaN(FrequencyPenalty)) throw new UserError($"frequency_penalty: must be between -2 and 2, got {FrequencyPenalty}");
        if (!(RepetitionPenalty > 0)) throw new UserError($"repetition_penalty: must be > 0, got {RepetitionPenalty}");
        if (StopStrings.Any(string.IsNullOrEmpty)) throw new UserError("stop: stop strings must be non-empty");
        if (Logprobs is < 0 or > 20) throw new UserError($"logprobs: must be between 0 and 20, got {Logprobs}");
    }
}

/// <summary>One alternative token and its log-probability.</summary>
public sealed record TopLogprob(int TokenId, double Logprob);

/// <summary>The chosen token's log-probability under the model, with the top alternatives.</summary>
public sealed record TokenLogprob(int TokenId, double Logprob, IReadOnlyList<TopLogprob> Top);

/// <summary>What <see cref="TextGenerator.Generate"/> produced. FinishReason: "stop" (eos/stop token) or "length".</summary>
public sealed record GenerationResult(
    IReadOnlyList<int> PromptIds,
    IReadOnlyList<int> NewIds,
    IReadOnlyList<TokenLogprob>? Logprobs,
    string FinishReason);
