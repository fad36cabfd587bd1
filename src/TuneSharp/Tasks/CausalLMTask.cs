using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Data;
using TuneSharp.Evaluation;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Models.Heads;
using TuneSharp.Templates;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>What a <see cref="CausalLMTask"/> trains.</summary>
public enum CausalLMKind
{
    /// <summary>Supervised fine-tuning: chat, prompt/completion or Alpaca records; loss on completions / assistant turns.</summary>
    Sft,
    /// <summary>Source → target as generation on a decoder; loss on the target; evaluation also generates and scores.</summary>
    Seq2Seq,
    /// <summary>Continued pretraining on raw text packed into fixed blocks; loss on every token.</summary>
    Pretraining,
}

/// <summary>
/// The causal-LM tasks (<c>causal-lm-sft</c>, <c>seq2seq</c>, <c>causal-lm</c>) on a Llama/Qwen2/Mistral/GPT-2
/// model: rows of <see cref="LmExample"/>, padded or packed (<see cref="LmCollator"/>), next-token cross-entropy
/// (<see cref="CausalLMLoss"/>) averaged over the trained tokens. Evaluation: token-weighted loss and perplexity;
/// seq2seq and SFT also generate (greedily unless <see cref="TaskOptions.Generation"/> samples) for up to
/// <see cref="TaskOptions.MaxEvalGenerations"/> examples and report exact match, BLEU, chrF and ROUGE-L.
/// </summary>
public sealed class CausalLMTask : ITask
{
    readonly ICausalLM lm;
    readonly HfTokenizer tokenizer;
    readonly JsonObject savedConfig;
    readonly string sourceDir;
    readonly TaskOptions options;
    readonly int padId, eosId;
    readonly Dictionary<Split, List<LmExample>> splits = new();

    /// <summary>Which causal task this is.</summary>
    public CausalLMKind Kind { get; }

    // The model's position table (less a soft prompt's positions): prompt + generated tokens must fit in it.
    int PositionLimit => lm.Info.MaxPositionEmbeddings;

    public string Name => Kind switch { CausalLMKind.Sft => "causal-lm-sft", CausalLMKind.Seq2Seq => "seq2seq", _ => "causal-lm" };

    /// <summary>The model (its keys are the checkpoint's).</summary>
    public ICausalLM Model => lm;

    /// <summary>The tokenizer (with any added special tokens).</summary>
    public HfTokenizer Tokenizer => tokenizer;

    /// <summary>Examples removed by the truncation policy, per split.</summary>
    public IReadOnlyDictionary<Split, int> Dropped { get; }

    /// <summary>Loads <paramref name="modelDir"/>, adds special tokens (resizing embeddings) and builds the rows of every split.</summary>
    public CausalLMTask(CausalLMKind kind, string modelDir, TaskData data, TaskOptions options)
    {
        Kind = kind;
        this.options = options;
        sourceDir = modelDir;
        if (options.MaxLength < 2) throw new UserError($"max_length: must be at least 2, got {options.MaxLength}");
        var config = TaskModelSetup.Config(modelDir, options);
        (tokenizer, int vocab) = TaskModelSetup.Tokenizer(modelDir, config, options);
        padId = TaskModelSetup.PadId(config, tokenizer);
        eosId = TaskModelSetup.EosId(config, tokenizer);
        var template = tokenizer.ChatTemplate is { } source ? new ChatTemplate(source) : null;
        var dropped = new Dictionary<Split, int>();
        foreach (var split in Enum.GetValues<Split>())
        {
            var records = RecordFields.Load(data.Of(split), split);
            var rows = new List<LmExample>();
            if (kind == CausalLMKind.Pretraining)
                rows = PretrainingBlocks.Build(records, tokenizer, options.Fields.Text, eosId, options.BlockSize);
            else
                foreach (var r in records)
                {
                    var e = kind == CausalLMKind.Sft
                        ? SftExamples.Build(r, tokenizer, template, options.Fields, eosId)
                        : Seq2SeqExamples.Build(r, tokenizer, options.Fields, options.Separator, eosId);
                    if (SftExamples.Fit(e, options.MaxLength, options.Truncation) is { } fit) rows.Add(fit);
                }
            dropped[split] = kind == CausalLMKind.Pretraining ? 0 : records.Count - rows.Count;
            if (split == Split.Train && rows.Count == 0)
                throw new UserError($"training data: no usable example ({records.Count} record(s); all too long for max_length {options.MaxLength} or without trained tokens)");
            splits[split] = rows;
        }
        Dropped = dropped;

        lm = Pretrained.LoadCausalLM(modelDir, config, torch.device(options.Device));
        lm.GradientCheckpointing = options.GradientCheckpointing;
        try { TokenEmbeddings.Resize(lm, vocab); }
        catch { lm.Dispose(); throw; }
        savedConfig = TaskModelSetup.SavedConfig(config, vocab, null);
        lm.Module.train();
    }

    /// <summary>The rows of a split.</summary>
    public IReadOnlyList<LmExample> Examples(Split split) => splits[split];

    public nn.Module Module => lm.Module;

    public int Count(Split split) => splits[split].Count;

    public IReadOnlyList<int> TrainLengths => splits[Split.Train].Select(e => e.Ids.Length).ToList();

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var items = indices.Select(i => splits[split][i]).ToList();
        return options.Packing && Kind != CausalLMKind.Pretraining
            ? LmCollator.Packed(items, options.MaxLength, padId, device)
            : LmCollator.Padded(items, padId, device);
    }

    /// <summary>Logits (B, T, V) of a batch (position ids and a 4D mask when packed).</summary>
    public Tensor Logits(Batch batch) =>
        lm.Forward(batch["input_ids"], batch["attention_mask"], batch.Has("position_ids") ? batch["position_ids"] : null);

    public Tensor Loss(Batch batch)
    {
        using var scope = NewDisposeScope();
        if (options.ChunkedCrossEntropy && lm.LmHeadWeight is { } weight)
        {
            var hidden = lm.HiddenStates(batch["input_ids"], batch["attention_mask"], batch.Has("position_ids") ? batch["position_ids"] : null);
            return ChunkedCrossEntropy.Compute(hidden, weight, batch["labels"]).MoveToOuterDisposeScope();
        }
        return CausalLMLoss.Compute(Logits(batch), batch["labels"]).MoveToOuterDisposeScope();
    }

    public EvalResult Evaluate(Split split, int batchSize, Device device)
    {
        var examples = splits[split];
        if (examples.Count == 0) throw new UserError($"{split.ToString().ToLowerInvariant()} data: no records to evaluate");
        var nll = new PerplexityAccumulator();
        using (new EvalScope(lm.Module))
            for (int start = 0; start < examples.Count; start += batchSize)
            {
                var indices = Enumerable.Range(start, Math.Min(batchSize, examples.Count - start)).ToList();
                using var batch = Collate(split, indices, device);
                if (batch.LossTokens == 0) continue;
                using var scope = NewDisposeScope();
                nll.Add(CausalLMLoss.Compute(Logits(batch), batch["labels"]).item<float>(), batch.LossTokens);
            }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss"] = nll.MeanLoss, ["perplexity"] = nll.Perplexity, ["tokens"] = nll.Tokens,
        };
        var settings = "loss:token-weighted mean NLL (nats) over trained tokens|perplexity:exp(loss)";
        var report = new StringBuilder();
        IReadOnlyList<GeneratedExample>? generations = null;
        var scored = examples.Where(e => e.PromptIds is { } p && p.Length < PositionLimit && e.Reference is not null).Take(options.MaxEvalGenerations).ToList();
        if (Kind != CausalLMKind.Pretraining && scored.Count > 0)
        {
            generations = Generate(scored);
            settings += " ; " + GenerationMetrics.Score(generations.Select(g => g.Generated).ToList(), generations.Select(g => g.Reference).ToList(), metrics, report)
                + "|" + GenerationSettings(options.Generation);
        }
        return new EvalResult(metrics, settings, report.ToString()) { Generations = generations };
    }

    /// <summary>Each example's prompt, reference and generation (stopped at EOS or max_new_tokens), trimmed.</summary>
    List<GeneratedExample> Generate(List<LmExample> examples)
    {
        var generation = options.Generation with { StopTokenIds = [eosId] };
        var generated = new List<GeneratedExample>(examples.Count);
        using (new EvalScope(lm.Module))
            for (int i = 0; i < examples.Count; i++)
            {
                var e = examples[i];
                // A sampled evaluation is reproducible: each example draws from its own seeded generator.
                var settings = generation with { MaxNewTokens = Math.Min(generation.MaxNewTokens, PositionLimit - e.PromptIds!.Length) };
                if (settings.Temperature > 0) settings = settings with { Seed = (generation.Seed ?? 0) + i };
                var result = TextGenerator.Generate(lm, e.PromptIds!, settings);
                generated.Add(new GeneratedExample(tokenizer.Decode(e.PromptIds!, skipSpecialTokens: false),
                    e.Reference!.Trim(), tokenizer.Decode(result.NewIds, skipSpecialTokens: true).Trim()));
            }
        return generated;
    }

    static string GenerationSettings(GenerationOptions g) => FormattableString.Invariant(
        $"{(g.Temperature > 0 ? $"sampled:temperature:{g.Temperature}:top_p:{g.TopP}:top_k:{g.TopK}:seed:{g.Seed ?? 0}" : "greedy")}|max_new_tokens:{g.MaxNewTokens}");

    /// <summary>Writes the full model folder (weights, config.json with the new vocab_size, tokenizer with added tokens).</summary>
    public void Save(string dir) => ModelFolder.Save(dir, lm.Module, savedConfig, tokenizer, sourceDir);

    public void Dispose() => lm.Dispose();
}
