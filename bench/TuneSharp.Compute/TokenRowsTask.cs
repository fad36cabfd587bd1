using TuneSharp.Models;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// A causal-LM task over given token rows, for throughput runs through the real <see cref="Training.Trainer"/>:
/// rows are padded (<see cref="LmCollator.Padded"/>) or packed (<see cref="LmCollator.Packed"/>) as the
/// causal-lm-sft task does, and the loss is the plain or the chunked cross-entropy.
/// </summary>
internal sealed class TokenRowsTask(ICausalLM lm, IReadOnlyList<int[]> rows, bool packing, int maxLength, bool chunkedLoss) : ITask
{
    readonly List<LmExample> examples = rows.Select(r => new LmExample(r, r)).ToList();

    public string Name => "token-rows";
    public nn.Module Module => lm.Module;
    public ICausalLM Model => lm;
    public int Count(Split split) => split == Split.Train ? examples.Count : 0;
    public IReadOnlyList<int> TrainLengths => examples.Select(e => e.Ids.Length).ToList();

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var items = indices.Select(i => examples[i]).ToList();
        return packing ? LmCollator.Packed(items, maxLength, 0, device) : LmCollator.Padded(items, 0, device);
    }

    public Tensor Loss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var positions = batch.Has("position_ids") ? batch["position_ids"] : null;
        var loss = chunkedLoss && lm.LmHeadWeight is { } weight
            ? ChunkedCrossEntropy.Compute(lm.HiddenStates(batch["input_ids"], batch["attention_mask"], positions), weight, batch["labels"])
            : CausalLMLoss.Compute(lm.Forward(batch["input_ids"], batch["attention_mask"], positions), batch["labels"]);
        return loss.MoveToOuterDisposeScope();
    }

    public EvalResult Evaluate(Split split, int batchSize, Device device) => throw new NotSupportedException("throughput runs do not evaluate");

    public void Save(string dir) => throw new NotSupportedException("throughput runs save nothing");

    public void Dispose() => lm.Dispose();
}
