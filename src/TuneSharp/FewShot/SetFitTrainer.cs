using TorchSharp;
using TuneSharp.Inference;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Heads;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.FewShot;

/// <summary>
/// SetFit's first stage (Tunstall et al. 2022): contrastive fine-tuning of a sentence encoder in place on pairs of the
/// few labelled examples (<see cref="ContrastivePairs"/>), with <see cref="CosineSimilarityLoss"/> on the encoder's own
/// pooling (mean for MiniLM), AdamW and sentence-transformers' WarmupLinear schedule. The encoder is left in eval
/// mode, so <see cref="SentenceEncoder.Embed"/> then gives the fine-tuned embeddings for the head.
/// </summary>
public static class SetFitTrainer
{
    /// <summary>Trains <paramref name="encoder"/> (a BERT-family one) and returns the loss of each optimizer step.</summary>
    public static IReadOnlyList<double> Train(SentenceEncoder encoder, IReadOnlyList<string> texts, IReadOnlyList<int> labels,
        SetFitOptions options, long seed)
    {
        if (encoder.Module is not BertModel bert) throw new UserError("setfit: the sentence encoder must be a BERT-family model (e.g. minilm)");
        if (texts.Count != labels.Count) throw new ArgumentException($"{texts.Count} texts for {labels.Count} labels");
        return Train(bert, rows => Embed(bert, encoder, rows.Select(r => texts[r]).ToList()), labels, options, seed);
    }

    /// <summary>
    /// The contrastive stage on any body: <paramref name="embed"/> maps example indices to their pooled embeddings
    /// (R, C) with gradients (a sentence encoder's pooling, or a recipe's classifier body as its head reads it); the
    /// parameters of <paramref name="body"/> that require gradients are trained. Returns each step's loss.
    /// </summary>
    public static IReadOnlyList<double> Train(nn.Module body, Func<IReadOnlyList<int>, Tensor> embed, IReadOnlyList<int> labels,
        SetFitOptions options, long seed)
    {
        torch.manual_seed(seed);
        var pairs = ContrastivePairs.Generate(labels, options.num_iterations, seed, options.max_pairs);
        int stepsPerEpoch = (pairs.Count + options.batch_size - 1) / options.batch_size, total = stepsPerEpoch * options.epochs;
        int warmup = (int)Math.Ceiling(total * options.warmup_ratio);
        var parameters = body.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(parameters, options.learning_rate, weight_decay: 0.01);
        var losses = new List<double>(total);
        body.train();
        try
        {
            for (int epoch = 0, step = 0; epoch < options.epochs; epoch++)
                for (int start = 0; start < pairs.Count; start += options.batch_size, step++)
                {
                    using var scope = NewDisposeScope();
                    var batch = pairs.Skip(start).Take(options.batch_size).ToList();
                    // Each distinct row is encoded once per batch, then both sides of the pairs index into it.
                    var rows = batch.SelectMany(p => new[] { p.First, p.Second }).Distinct().ToList();
                    var slot = rows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => (long)x.i);
                    var embeddings = embed(rows);                                                           // (R, C)
                    var device = embeddings.device;
                    var u = embeddings.index_select(0, tensor(batch.Select(p => slot[p.First]).ToArray(), device: device));  // (B, C)
                    var v = embeddings.index_select(0, tensor(batch.Select(p => slot[p.Second]).ToArray(), device: device)); // (B, C)
                    var loss = CosineSimilarityLoss.Compute(u, v, tensor(batch.Select(p => p.Target).ToArray(), device: device));
                    double lr = step < warmup ? options.learning_rate * (step + 1) / warmup
                        : options.learning_rate * Math.Max(0, total - step) / Math.Max(1, total - warmup);
                    foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    losses.Add(loss.item<float>());
                }
        }
        finally { body.eval(); }
        return losses;
    }

    /// <summary>Pooled embeddings (R, C) of <paramref name="texts"/> with gradients, as <see cref="SentenceEncoder"/> pools them.</summary>
    static Tensor Embed(BertModel bert, SentenceEncoder encoder, IReadOnlyList<string> texts)
    {
        var batch = encoder.Tokenizer.EncodeBatch(texts,
            new EncodeOptions { Truncation = true, MaxLength = encoder.MaxLength, Padding = Tokenization.Padding.Longest, PaddingSide = Side.Right });
        int rows = texts.Count, width = batch.InputIds[0].Length;
        var device = bert.parameters().First().device;
        var ids = tensor(batch.InputIds.SelectMany(r => r.Select(x => (long)x)).ToArray(), device: device).reshape(rows, width);      // (R, T)
        var mask = tensor(batch.AttentionMask.SelectMany(r => r.Select(x => (long)x)).ToArray(), device: device).reshape(rows, width); // (R, T)
        return SequencePooling.PoolMasked(bert.HiddenStates(ids, mask), mask, encoder.Config.Pooling);
    }
}
