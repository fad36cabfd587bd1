using TuneSharp.Bench;

// Benchmarks by name: dotnet run -c Release --project bench/TuneSharp.Bench -- <name> [options]
var benchmarks = new Dictionary<string, (string Help, Func<string[], int> Run)>(StringComparer.Ordinal)
{
    ["load-rss"] = ("peak RSS while StateDictLoader loads a generated ~500 MB F32 checkpoint "
                    + "(options: --mb N, --mode direct|naive|bf16)", LoadRssBenchmark.Run),
    ["data-validate"] = ("DataValidator throughput on generated JSONL (options: --count N, default 100000)", DataValidateBenchmark.Run),
    ["train-throughput"] = ("training tokens/s and peak RSS, full vs LoRA (options: --model tiny-llama|llama-5m|llama-20m|llama-100m, "
                            + "--method full|lora, --batch 8, --seq 256, --steps 10)", TrainThroughputBenchmark.Run),
    ["prompting-baseline"] = ("prompting vs the quickstart's fine-tuning on Brown genre: zero- and k-shot prompting of tunesharp-base with its chat "
                              + "template (rank classification), zero-shot MiniLM similarity (options: --shots 8, --shot-words 16, --test N, --lm DIR, --encoder DIR)",
                              PromptingBaselineBenchmark.Run),
    ["clean-throughput"] = ("DataCleaner cleaning and dedup throughput on generated rows (options: --count N, default 100000)", CleanThroughputBenchmark.Run),
    ["learning-curve"] = ("quickstart task (MiniLM, Brown genre) at 50/100/300/all passages: pretrained vs random init vs frozen features, 3 seeds (run from the repo root)", LearningCurveBenchmark.Run),
    ["decode-throughput"] = ("prompt-processing and decoding tokens/s with and without the KV cache (options: --model DIR|llama-100m, "
                             + "--prompt 128, --new 64, --batch 1, --runs 3 (median), --threads N)", DecodeThroughputBenchmark.Run),
    ["gguf-decode"] = ("decode tokens/s of TuneSharp vs llama.cpp (LLamaSharp CPU) on the same weights exported to GGUF, same threads "
                       + "(options: --model DIR|llama-100m (default models/tunesharp-base), --outtype f32|f16|q8_0, --prompt 64, --new 64, --runs 3, --threads 1)",
                       GgufDecodeBenchmark.Run),
    ["serve-load"] = ("generated tokens/s and p50/p99 time to first token of concurrent streaming chat requests against `serve` on loopback, "
                      + "one request at a time vs continuous batching (options: --model DIR, --batching none,continuous, --concurrency 1,4,16,64, "
                      + "--requests-per-stream 2, --max-tokens 32, --rounds 1 (median over repeated sweeps), --threads N)", ServeLoadBenchmark.Run),
    ["fuzz-files"] = ("seeded mutations of every loader's input; each must load or fail with one UserError "
                      + "(options: --count 2000 per format, --seed 1, --target NAME, --load REPRODUCER_DIR with --target)", FuzzFilesBenchmark.Run),
    ["serve-abuse"] = ("malformed requests interleaved with valid ones, stalls and hang-ups, then concurrent streams with random "
                       + "disconnects, against `serve` on 127.0.0.1 (options: --requests 10000, --seed 1, --concurrency 16, --streams 64, --model DIR)",
                       ServeAbuseBenchmark.Run),
    ["kill-train"] = ("`tunesharp train` killed with SIGKILL at random moments and inside checkpoint writes, resumed each time; "
                      + "every checkpoint must load, disk stay bounded, resume be bit-identical (options: --kills 50, --seed 1, --epochs 6, --model DIR)",
                      KillTrainBenchmark.Run),
    ["classifier-speed"] = ("examples/s of sequence-classifier folders on the same texts, rounds interleaved, median; parameters and layers "
                            + "(options: --models DIR,DIR,..., --data data/brown-genre-passages/test.jsonl, --max-length 64, --batch 64, --rounds 3, --threads N)",
                            ClassifierSpeedBenchmark.Run),
    [LoadRssBenchmark.ChildName] = ("(internal) the measured child process of load-rss", LoadRssBenchmark.RunChild),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine("usage: TuneSharp.Bench <benchmark> [options]");
    foreach (var (name, b) in benchmarks)
        if (!name.StartsWith('_')) Console.Error.WriteLine($"  {name,-16} {b.Help}");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}
return bench.Run(args[1..]);
