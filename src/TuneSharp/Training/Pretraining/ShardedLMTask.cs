using TorchSharp;
using TuneSharp.Models;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Pretraining;

/// <summary>
/// Causal-LM pretraining over memory-mapped token shards: example i is the i-th block of
/// <c>blockSize</c> consecutive tokens (documents are packed, separated by EOS); labels = inputs.
/// </summary>
public sealed class ShardedLMTask : ITask
{
    readonly ICausalLM model;
    readonly TokenShards train;
    readonly TokenShards validation;
    readonly int blockSize;
    readonly int maxValidationBlocks;
    readonly Action<string> save;

    public ShardedLMTask(ICausalLM model, TokenShards train, TokenShards validation, int blockSize, int maxValidationBlocks, Action<string> save)
    {
        if (train.Count < blockSize) throw new UserError($"{train.Dir}: {train.Count} tokens is less than one block of {blockSize}");
        this.model = model; this.train = train; this.validation = validation; this.blockSize = blockSize;
        this.maxValidationBlocks = maxValidationBlocks; this.save = save;
        TrainLengths = Enumerable.Repeat(blockSize, Count(Split.Train)).ToList();
    }

    public string Name => "causal-lm-pretraining";
    public nn.Module Module => model.Module;
    public IReadOnlyList<int> TrainLengths { get; }

    public int Count(Split split) => split switch
    {
        Split.Train => (int)(train.Count / blockSize),
        Split.Validation => (int)Math.Min(maxValidationBlocks, validation.Count / blockSize),
        _ => 0,
    };

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var shards = split == Split.Train ? train : validation;
        var ids = new long[indices.Count * blockSize];
        for (int b = 0; b < indices.Count; b++)
            shards.Read((long)indices[b] * blockSize, ids.AsSpan(b * blockSize, blockSize));
        var batch = new Batch { Examples = indices.Count, InputTokens = ids.Length, LossTokens = indices.Count * (blockSize - 1) };
        batch.Tensors["input_ids"] = tensor(ids, [indices.Count, blockSize]).to(device).DetachFromDisposeScope();
        return batch;
    }

    public Tensor Loss(Batch batch)
    {
        var ids = batch["input_ids"];
        return CausalLMLoss.Compute(model.Forward(ids), ids);
    }

    public EvalResult Evaluate(Split split, int batchSize, Device device)
    {
        model.Module.eval();
        using var _ = no_grad();
        double sum = 0; long tokens = 0;
        int n = Count(split);
        for (int i = 0; i < n; i += batchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = Collate(split, Enumerable.Range(i, Math.Min(batchSize, n - i)).ToList(), device);
            var ids = batch["input_ids"];
            sum += CausalLMLoss.Compute(model.Forward(ids), ids, sumInsteadOfMean: true).item<float>();
            tokens += batch.LossTokens;
        }
        double loss = sum / Math.Max(1, tokens);
        var metrics = new Dictionary<string, double> { ["loss"] = loss, ["perplexity"] = Math.Exp(loss) };
        return new EvalResult(metrics, $"perplexity|blocks:{n}|block_size:{blockSize}|tokens:{tokens}",
            $"Held-out perplexity {Math.Exp(loss):0.00} over {tokens} predicted tokens ({n} blocks of {blockSize}).");
    }

    public void Save(string dir) => save(dir);

    public void Dispose() { model.Dispose(); train.Dispose(); validation.Dispose(); }
}
