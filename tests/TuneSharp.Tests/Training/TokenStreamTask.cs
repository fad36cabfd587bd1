using TorchSharp;
using TuneSharp.Models;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

/// <summary>
/// A minimal causal-LM task for trainer tests: fixed pseudo-random token rows of varying length on a tiny
/// fixture model (tiny-gpt2 has dropout, so exact resume must restore the RNG). Rows repeat a short
/// pattern, so the loss can fall quickly.
/// </summary>
public sealed class TokenStreamTask : ITask
{
    readonly ICausalLM model;
    readonly List<long[]> train, validation;

    public TokenStreamTask(string fixture, int trainRows = 24, int validationRows = 6, int seed = 1, Device? device = null)
    {
        model = Pretrained.LoadCausalLM(Fixtures.HfTiny(fixture), device);
        var rng = new Random(seed);
        List<long[]> Rows(int n) => Enumerable.Range(0, n).Select(_ =>
        {
            int len = rng.Next(8, 17);
            long start = rng.Next(4, 40);
            return Enumerable.Range(0, len).Select(i => start + i % 5).ToArray(); // a repeating 5-token pattern
        }).ToList();
        train = Rows(trainRows);
        validation = Rows(validationRows);
    }

    /// <summary>When set, the loss of this batch index (call count) is replaced by NaN.</summary>
    public Func<int, bool>? PoisonCall { get; set; }
    int calls;

    public string Name => "token-stream";
    public nn.Module Module => model.Module;
    public IReadOnlyList<int> TrainLengths => train.Select(r => r.Length).ToList();
    public int Count(Split split) => split switch { Split.Train => train.Count, Split.Validation => validation.Count, _ => 0 };

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var rows = indices.Select(i => (split == Split.Train ? train : validation)[i]).ToList();
        int T = rows.Max(r => r.Length);
        var ids = new long[rows.Count * T];
        var mask = new long[rows.Count * T];
        Array.Fill(ids, 3);
        for (int b = 0; b < rows.Count; b++)
            for (int t = 0; t < rows[b].Length; t++) { ids[b * T + t] = rows[b][t]; mask[b * T + t] = 1; }
        var batch = new Batch { Examples = rows.Count, InputTokens = rows.Sum(r => r.Length), LossTokens = rows.Sum(r => r.Length - 1) };
        batch.Tensors["input_ids"] = tensor(ids, [rows.Count, T]).to(device).DetachFromDisposeScope();
        batch.Tensors["attention_mask"] = tensor(mask, [rows.Count, T]).to(device).DetachFromDisposeScope();
        return batch;
    }

    public Tensor Loss(Batch batch)
    {
        var labels = CausalLMLoss.LabelsFromInputs(batch["input_ids"], batch["attention_mask"]);
        var loss = CausalLMLoss.Compute(model.Forward(batch["input_ids"], batch["attention_mask"]), labels);
        if (PoisonCall?.Invoke(calls++) == true) loss = loss * double.NaN;
        return loss;
    }

    public EvalResult Evaluate(Split split, int batchSize, Device device)
    {
        model.Module.eval();
        using var _ = no_grad();
        double sum = 0; long tokens = 0;
        for (int i = 0; i < Count(split); i += batchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = Collate(split, Enumerable.Range(i, Math.Min(batchSize, Count(split) - i)).ToList(), device);
            var labels = CausalLMLoss.LabelsFromInputs(batch["input_ids"], batch["attention_mask"]);
            sum += CausalLMLoss.Compute(model.Forward(batch["input_ids"], batch["attention_mask"]), labels, sumInsteadOfMean: true).item<float>();
            tokens += batch.LossTokens;
        }
        double loss = sum / tokens;
        return new EvalResult(new Dictionary<string, double> { ["loss"] = loss, ["perplexity"] = Math.Exp(loss) }, "loss: mean token NLL", "");
    }

    public void Save(string dir) => Pretrained.Save(dir, model.Module, Pretrained.Config(Fixtures.HfTiny("tiny-gpt2")));

    public void Dispose() => model.Dispose();
}
