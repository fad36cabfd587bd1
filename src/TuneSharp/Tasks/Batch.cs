using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>
/// One collated mini-batch: named tensors (input_ids (B, T), attention_mask (B, T), labels, ...),
/// the number of examples, and the number of tokens that count toward the loss (for token-weighted
/// averaging across gradient-accumulation steps). The batch owns its tensors.
/// </summary>
public sealed class Batch : IDisposable
{
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>Examples in the batch.</summary>
    public int Examples { get; init; }

    /// <summary>Tokens fed to the model (non-padding), for tokens/s.</summary>
    public long InputTokens { get; init; }

    /// <summary>Targets that count toward the loss (labels != -100, or examples for sequence tasks).</summary>
    public long LossTokens { get; init; }

    /// <summary>Multi-task learning: the index of the task whose examples the batch holds (0 for a single task).</summary>
    public int TaskIndex { get; init; }

    public Tensor this[string name] => Tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"batch has no tensor '{name}'");

    public bool Has(string name) => Tensors.ContainsKey(name);

    /// <summary>Moves every tensor to a device (returns this batch; the old tensors are disposed).</summary>
    public Batch To(Device device)
    {
        foreach (var key in Tensors.Keys.ToList())
        {
            var t = Tensors[key];
            if (t.device == device) continue;
            Tensors[key] = t.to(device).DetachFromDisposeScope();
            t.Dispose();
        }
        return this;
    }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
        Tensors.Clear();
    }
}
