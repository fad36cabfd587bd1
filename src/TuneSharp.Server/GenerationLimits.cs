namespace TuneSharp.Server;

/// <summary>
/// Prompt length checks and the completion budget, with OpenAI-style context errors. Not the same check as
/// BatchGenerator's (a UserError for library callers): this one runs before queueing, answers with OpenAI's 400
/// codes, and also picks the default max_tokens from what the context leaves.
/// </summary>
public static class GenerationLimits
{
    /// <summary>
    /// The max_tokens to use: the requested one (400 when prompt + max_tokens exceeds the context, stating both),
    /// or what the context leaves after the longest prompt. Prompts longer than --max-prompt-tokens are 400s.
    /// </summary>
    public static int MaxTokens(ServerContext server, IReadOnlyList<IReadOnlyList<int>> prompts, int? requested, string param)
    {
        int context = server.Model.ContextLength;
        int longest = prompts.Max(p => p.Count);
        if (prompts.Any(p => p.Count == 0)) throw ApiException.BadField(param, "encodes to no tokens; give a non-empty prompt");
        if (server.Options.MaxPromptTokens is int cap && longest > cap)
            throw new ApiException(400, $"The prompt has {longest} tokens; this server accepts at most {cap} (--max-prompt-tokens).",
                param: param, code: "prompt_too_long");
        if (requested is int max)
        {
            if (longest + (long)max > context)
                throw new ApiException(400, $"This model's maximum context length is {context} tokens. However, you requested "
                    + $"{longest + (long)max} tokens ({longest} in the {param}, {max} in the completion). "
                    + "Please reduce the length of the prompt or completion.", param: param, code: "context_length_exceeded");
            return max;
        }
        if (longest >= context)
            throw new ApiException(400, $"This model's maximum context length is {context} tokens. However, your {param} has "
                + $"{longest} tokens, which leaves no room for a completion.", param: param, code: "context_length_exceeded");
        return context - longest;
    }
}
