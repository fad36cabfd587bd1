using LLama;
using LLama.Common;
using LLama.Native;

namespace TuneSharp.Tests.Models.Export;

/// <summary>
/// llama.cpp (LLamaSharp's CPU backend) on a GGUF file, fed token ids directly so that tokenizer differences cannot
/// hide or fake a weight mismatch. The KV cache is kept in f32 so that an f32 export is compared at full precision.
/// </summary>
internal sealed class LlamaCppModel : IDisposable
{
    static readonly Lazy<bool> quiet = new(() =>
    {
        NativeLibraryConfig.All.WithLogCallback((_, _) => { }); // llama.cpp logs every load to stderr
        return true;
    });

    readonly ModelParams parameters;
    public LLamaWeights Weights { get; }

    public LlamaCppModel(string path, int threads = 2, uint contextSize = 128)
    {
        _ = quiet.Value;
        parameters = new ModelParams(path)
        {
            ContextSize = contextSize, GpuLayerCount = 0, Threads = threads, BatchThreads = threads,
            BatchSize = contextSize, UBatchSize = contextSize,
            TypeK = GGMLType.GGML_TYPE_F32, TypeV = GGMLType.GGML_TYPE_F32,
        };
        Weights = LLamaWeights.LoadFromFile(parameters);
    }

    /// <summary>Greedy continuation: <paramref name="count"/> argmax tokens after the prompt (no EOS stop), with the KV cache.</summary>
    public int[] Greedy(IReadOnlyList<int> prompt, int count)
    {
        using var context = Weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (int i = 0; i < prompt.Count; i++) batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Count - 1);
        var result = new List<int>();
        for (int pos = prompt.Count; result.Count < count; pos++)
        {
            Check(context.Decode(batch));
            int next = ArgMax(context.NativeHandle.GetLogitsIth(batch.TokenCount - 1));
            result.Add(next);
            batch.Clear();
            batch.Add(next, pos, LLamaSeqId.Zero, true);
        }
        return [.. result];
    }

    /// <summary>The argmax at every position of <paramref name="ids"/> in one batch.</summary>
    public int[] ArgMaxes(IReadOnlyList<int> ids)
    {
        using var context = Weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (int i = 0; i < ids.Count; i++) batch.Add(ids[i], i, LLamaSeqId.Zero, true);
        Check(context.Decode(batch));
        return [.. Enumerable.Range(0, ids.Count).Select(i => ArgMax(context.NativeHandle.GetLogitsIth(i)))];
    }

    /// <summary>The logits (T, V) at every position of <paramref name="ids"/> in one batch, row-major.</summary>
    public float[] Logits(IReadOnlyList<int> ids)
    {
        using var context = Weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (int i = 0; i < ids.Count; i++) batch.Add(ids[i], i, LLamaSeqId.Zero, true);
        Check(context.Decode(batch));
        return [.. Enumerable.Range(0, ids.Count).SelectMany(i => context.NativeHandle.GetLogitsIth(i).ToArray())];
    }

    static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode: {result}");
    }

    static int ArgMax(Span<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    public void Dispose() => Weights.Dispose();
}
