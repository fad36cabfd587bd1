using TuneSharp.Bench;

// Compute benchmarks by name: dotnet run -c Release --project bench/TuneSharp.Compute -- <name> [options]
var benchmarks = new Dictionary<string, (string Help, Func<string[], int> Run)>(StringComparer.Ordinal)
{
    ["train-step"] = ("training tokens/s through the real Trainer with the compute switches (options: --model gpt2-124m|qwen2-0.5b|llama-20m|llama-100m, "
                      + "--method full|lora, --batch 8, --seq 256, --steps 10, --warmup 2, --precision fp32|bf16, --optimizer adamw|adamw_flat, "
                      + "--chunked-ce, --checkpointing, --packing, --lengths A:B, --device cpu|cuda, --tokens FILE, --peak-tflops N, --threads N)", TrainStepBenchmark.Run),
    ["cuda-checks"] = ("the CUDA path against PyTorch's fixture outputs and the CPU path: logits, chunked CE, checkpointing, flat AdamW, bf16 "
                       + "training (options: --fixtures DIR of hf-tiny fixtures); exit 3 without CUDA", CudaChecks.Run),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine("usage: TuneSharp.Compute <benchmark> [options]");
    foreach (var (name, b) in benchmarks) Console.Error.WriteLine($"  {name,-12} {b.Help}");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}
return bench.Run(args[1..]);
