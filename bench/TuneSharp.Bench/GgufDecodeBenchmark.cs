using System.Diagnostics;
using LLama;
using LLama.Common;
using LLama.Native;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Models.Export;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Decode tokens/s of TuneSharp (TorchSharp, KV cache) against llama.cpp (LLamaSharp 0.30.0 CPU backend) on the same
/// weights, exported with <see cref="GgufExport"/>, and the same number of threads; batch 1, greedy, no EOS stop.
/// Decode = (new − 1) tokens / (generation time − the prompt's forward), as in decode-throughput.
/// </summary>
internal static class GgufDecodeBenchmark
{
    public static int Run(string[] args)
    {
        string model = Options.String(args, "--model", Path.Combine("models", "tunesharp-base"))!;
        int threads = Options.Int(args, "--threads", 1);
        int prompt = Options.Int(args, "--prompt", 64);
        int newTokens = Options.Int(args, "--new", 64);
        int runs = Options.Int(args, "--runs", 3);
        var outType = GgufOutTypes.Parse(Options.String(args, "--outtype", "f32")!);
        set_num_threads(threads);

        var tmp = Directory.CreateTempSubdirectory("tunesharp-gguf-bench-").FullName;
        try
        {
            if (model == "llama-100m") model = SaveLlama100M(Path.Combine(tmp, "llama-100m"));
            var gguf = Path.Combine(tmp, "model.gguf");
            GgufExport.Export(model, null, gguf, outType);
            using var lm = Pretrained.LoadCausalLM(model);
            var rng = new Random(0);
            var ids = Enumerable.Range(0, prompt).Select(_ => rng.Next(4, lm.Info.VocabSize)).ToList();

            // TuneSharp: the prompt forward alone, then the whole generation.
            double prefill = DecodeThroughputBenchmark.Median(runs, () => DecodeThroughputBenchmark.Time(() =>
            {
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                lm.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0)).Dispose();
            }));
            var options = new GenerationOptions { MaxNewTokens = newTokens, IgnoreEos = true, UseCache = true };
            BatchGenerator.Generate(lm, [ids], options with { MaxNewTokens = 2 }); // warm-up
            double total = DecodeThroughputBenchmark.Median(runs, () => DecodeThroughputBenchmark.Time(() => BatchGenerator.Generate(lm, [ids], options)));
            double ours = (newTokens - 1) / Math.Max(total - prefill, 1e-9);

            // llama.cpp: prompt in one batch, then one token per llama_decode, timed after the prompt.
            NativeLibraryConfig.All.WithLogCallback((_, _) => { });
            var p = new ModelParams(gguf)
            {
                ContextSize = (uint)(prompt + newTokens), GpuLayerCount = 0, Threads = threads, BatchThreads = threads,
                BatchSize = (uint)prompt, UBatchSize = (uint)prompt,
            };
            using var weights = LLamaWeights.LoadFromFile(p);
            Decode(weights, p, ids, 2); // warm-up
            double theirs = (newTokens - 1) / DecodeThroughputBenchmark.Median(runs, () => Decode(weights, p, ids, newTokens));

            Console.WriteLine($"model {Path.GetFileName(model)}, gguf {outType.ToString().ToLowerInvariant()}, prompt {prompt}, new {newTokens}, threads {threads}, median of {runs}");
            Console.WriteLine($"  TuneSharp decode, KV cache: {ours:0.0} tokens/s");
            Console.WriteLine($"  llama.cpp decode:           {theirs:0.0} tokens/s ({theirs / ours:0.00}x)");
            return 0;
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    /// <summary>Seconds for the count − 1 single-token decode steps after the prompt (greedy).</summary>
    static double Decode(LLamaWeights weights, ModelParams p, List<int> ids, int count)
    {
        using var context = weights.CreateContext(p);
        var batch = new LLamaBatch();
        for (int i = 0; i < ids.Count; i++) batch.Add(ids[i], i, LLamaSeqId.Zero, i == ids.Count - 1);
        context.Decode(batch);
        int next = ArgMax(context.NativeHandle.GetLogitsIth(batch.TokenCount - 1));
        var clock = Stopwatch.StartNew();
        for (int pos = ids.Count; pos < ids.Count + count - 1; pos++)
        {
            batch.Clear();
            batch.Add(next, pos, LLamaSeqId.Zero, true);
            if (context.Decode(batch) != DecodeResult.Ok) throw new InvalidOperationException("llama_decode failed");
            next = ArgMax(context.NativeHandle.GetLogitsIth(0));
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>decode-throughput's ~100M Llama saved as a folder, with the tiny fixture's tokenizer (the vocabulary is padded).</summary>
    static string SaveLlama100M(string dir)
    {
        using var lm = DecodeThroughputBenchmark.Llama100M();
        Pretrained.Save(dir, lm.Module, DecodeThroughputBenchmark.Llama100MConfig(), sideFilesFrom: Path.Combine("..", "shared", "fixtures", "hf-tiny", "tiny-llama"));
        return dir;
    }

    static int ArgMax(Span<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
