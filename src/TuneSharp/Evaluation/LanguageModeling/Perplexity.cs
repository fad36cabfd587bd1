namespace TuneSharp.Evaluation;

/// <summary>
/// Perplexity of a causal language model: exp of the mean negative log-likelihood per token (natural
/// log, as the cross-entropy loss of Hugging Face models).
/// </summary>
public static class Perplexity
{
    const string Metric = "perplexity";

    /// <summary>exp(meanLoss). The loss must be a finite, non-negative mean token NLL in nats.</summary>
    public static double FromMeanLoss(double meanLoss)
    {
        EvalGuard.Finite(Metric, meanLoss, "the mean loss");
        if (meanLoss < 0)
            throw new UserError($"{Metric}: the mean loss is {meanLoss}; a negative log-likelihood cannot be below 0.");
        return Math.Exp(meanLoss);
    }

    /// <summary>
    /// Perplexity over batches given as (mean loss of the batch, tokens it was averaged over): the
    /// losses are weighted by token count, so a short last batch does not count as much as a full one.
    /// </summary>
    public static double FromBatches(IEnumerable<(double MeanLoss, long Tokens)> batches)
    {
        var acc = new PerplexityAccumulator();
        foreach (var (loss, tokens) in EvalGuard.NotNull(Metric, batches, "batches")) acc.Add(loss, tokens);
        return acc.Perplexity;
    }
}

/// <summary>
/// Accumulates token-weighted NLL across batches during evaluation; read <see cref="Perplexity"/> at the end.
/// </summary>
public sealed class PerplexityAccumulator
{
    const string Metric = "perplexity";
    double nllSum;
    long tokens;

    /// <summary>Tokens added so far.</summary>
    public long Tokens => tokens;

    /// <summary>Token-weighted mean NLL so far; a <see cref="UserError"/> before any token is added.</summary>
    public double MeanLoss
    {
        get
        {
            if (tokens == 0)
                throw new UserError($"{Metric}: no tokens were evaluated; perplexity is undefined for an empty set.");
            return nllSum / tokens;
        }
    }

    /// <summary>exp(<see cref="MeanLoss"/>).</summary>
    public double Perplexity => Evaluation.Perplexity.FromMeanLoss(MeanLoss);

    /// <summary>Adds a batch: its mean token loss and the number of (non-padding) tokens it covers.</summary>
    public void Add(double meanLoss, long tokenCount)
    {
        EvalGuard.Finite(Metric, meanLoss, "a batch's mean loss");
        if (meanLoss < 0)
            throw new UserError($"{Metric}: a batch's mean loss is {meanLoss}; a negative log-likelihood cannot be below 0.");
        if (tokenCount < 0)
            throw new UserError($"{Metric}: a batch has {tokenCount} tokens; the count cannot be negative.");
        nllSum += meanLoss * tokenCount;
        tokens += tokenCount;
    }
}
