using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Data;
using TuneSharp.Evaluation;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Heads;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>
/// <c>masked-lm</c>: continued pretraining of a BERT encoder on raw text (BertForMaskedLM). Each record's text is one
/// row ([CLS] … [SEP], cut to max_length). Training rows are masked afresh in every batch (<see cref="MlmMasking"/>,
/// torch's seeded and checkpointed generator); validation and test rows are masked once, with a fixed seed, so their
/// MLM loss is comparable between evaluations and between models. The MLM head comes from the checkpoint when it has
/// one (cls.predictions.*), else it is initialised fresh with its decoder tied to the word embeddings. The saved
/// folder is a BertForMaskedLM that loads as a plain BERT encoder for the next task.
/// </summary>
public sealed class MaskedLMTask : ITask
{
    /// <summary>The seed of the fixed validation/test masking (the same for every model, so losses compare).</summary>
    public const long EvaluationMaskSeed = 20261204;

    readonly BertForMaskedLM model;
    readonly HfTokenizer tokenizer;
    readonly JsonObject savedConfig;
    readonly string sourceDir;
    readonly int padId, maskId, vocab;
    readonly double probability;
    readonly HashSet<int> neverMasked;
    readonly Dictionary<Split, List<int[]>> splits = new();
    readonly Dictionary<Split, List<(int[] Input, long[] Labels)>> fixedMasks = new();

    public string Name => "masked-lm";

    /// <summary>The model (BertForMaskedLM keys).</summary>
    public BertForMaskedLM Model => model;

    /// <summary>The tokenizer (with any added special tokens).</summary>
    public HfTokenizer Tokenizer => tokenizer;

    /// <summary>Whether the MLM head came from the checkpoint rather than a fresh initialisation.</summary>
    public bool HeadLoaded { get; }

    /// <summary>The [MASK] token id.</summary>
    public int MaskTokenId => maskId;

    /// <summary>Loads <paramref name="modelDir"/> as BertForMaskedLM and tokenizes every split.</summary>
    public MaskedLMTask(string modelDir, TaskData data, TaskOptions options)
    {
        sourceDir = modelDir;
        probability = options.MlmProbability;
        if (probability is <= 0 or >= 1) throw new UserError($"mlm_probability: must be between 0 and 1 (exclusive), got {probability}");
        var config = TaskModelSetup.Config(modelDir, options);
        if (ModelFactory.ModelType(config) != "bert")
            throw new UserError($"task masked-lm: the model is '{ModelFactory.ModelType(config)}', not a BERT-family encoder (decoders continue pretraining with task causal-lm)");
        (tokenizer, vocab) = TaskModelSetup.Tokenizer(modelDir, config, options);
        padId = TaskModelSetup.PadId(config, tokenizer);
        maskId = tokenizer.TokenToId("[MASK]") ?? tokenizer.TokenToId("<mask>")
            ?? throw new UserError($"{modelDir}: the tokenizer has no mask token ([MASK] or <mask>); add one with data.new_special_tokens: [\"[MASK]\"]");
        neverMasked = tokenizer.AddedTokens.Where(t => t.Special).Select(t => t.Id).Append(padId).ToHashSet();

        foreach (var split in Enum.GetValues<Split>())
        {
            var texts = RecordFields.Load(data.Of(split), split).Select(r => RecordFields.String(r, options.Fields.Text))
                .Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            var enc = tokenizer.EncodeBatch(texts, null, new EncodeOptions { Padding = Tokenization.Padding.None, Truncation = true, MaxLength = options.MaxLength });
            splits[split] = enc.InputIds.Where(ids => ids.Any(Maskable)).ToList();
            if (split == Split.Train && splits[split].Count == 0) throw new UserError("training data: no text to mask");
            if (split != Split.Train) fixedMasks[split] = FixedMasks(splits[split], EvaluationMaskSeed + (int)split);
        }

        bool hasPooler;
        using (var checkpoint = IO.Checkpoint.Open(modelDir))
            hasPooler = checkpoint.Contains("pooler.dense.weight") || checkpoint.Contains("bert.pooler.dense.weight");
        model = new BertForMaskedLM(BertConfig.From(config), torch.device(options.Device), addPoolingLayer: hasPooler);
        try
        {
            HeadLoaded = HeadCheckpoint.Load(model, BertForMaskedLM.HeadKeys, modelDir, loadHead: true);
            model.ResizeTokenEmbeddings(vocab);
            // The pooler takes no part in the MLM loss; it is carried unchanged so a pooler classifier can load the folder.
            if (model.bert.pooler is { } pooler) foreach (var p in pooler.parameters()) p.requires_grad = false;
        }
        catch { model.Dispose(); throw; }
        savedConfig = TaskModelSetup.SavedConfig(config, vocab, "BertForMaskedLM");
        model.train();
    }

    bool Maskable(int id) => !neverMasked.Contains(id);

    // One generator per split, rows masked in order: the same masks whatever the evaluation batch size.
    List<(int[] Input, long[] Labels)> FixedMasks(List<int[]> rows, long seed)
    {
        var generator = new Generator((ulong)seed);
        var list = new List<(int[], long[])>(rows.Count);
        foreach (var row in rows)
        {
            using var scope = NewDisposeScope();
            var ids = tensor(row.Select(x => (long)x).ToArray()).unsqueeze(0);                         // (1, T)
            var maskable = tensor(row.Select(Maskable).ToArray()).unsqueeze(0);                        // (1, T)
            using var masked = MlmMasking.Apply(ids, maskable, maskId, vocab, probability, generator);
            list.Add((masked.InputIds.data<long>().Select(x => (int)x).ToArray(), masked.Labels.data<long>().ToArray()));
        }
        return list;
    }

    /// <summary>The tokenized rows of a split (before masking).</summary>
    public IReadOnlyList<int[]> Rows(Split split) => splits[split];

    public nn.Module Module => model;

    public int Count(Split split) => splits[split].Count;

    public IReadOnlyList<int> TrainLengths => splits[Split.Train].Select(r => r.Length).ToList();

    /// <summary>input_ids, attention_mask (B, T) and labels (B, T): original ids at masked positions, -100 elsewhere.</summary>
    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var rows = indices.Select(i => splits[split][i]).ToList();
        Tensor inputIds, labels;
        if (split == Split.Train)
        {
            using var ids = Tasks.Rows.Pad(rows, padId, CPU);                                                     // (B, T)
            using var maskable = Tasks.Rows.Pad(rows.Select(r => r.Select(id => Maskable(id) ? 1 : 0).ToArray()).ToList(), 0, CPU).to_type(ScalarType.Bool);
            var masked = MlmMasking.Apply(ids, maskable, maskId, vocab, probability);
            inputIds = masked.InputIds; labels = masked.Labels;
        }
        else
        {
            var fixedRows = indices.Select(i => fixedMasks[split][i]).ToList();
            inputIds = Tasks.Rows.Pad(fixedRows.Select(m => m.Input).ToList(), padId, CPU);
            int width = (int)inputIds.shape[1];
            labels = tensor(fixedRows.SelectMany(m => m.Labels.Concat(Enumerable.Repeat(-100L, width - m.Labels.Length))).ToArray(), [rows.Count, width]);
        }
        long lossTokens = labels.ne(-100).sum().item<long>();
        var batch = new Batch { Examples = rows.Count, InputTokens = rows.Sum(r => (long)r.Length), LossTokens = lossTokens };
        batch.Tensors["input_ids"] = inputIds.to(device);
        batch.Tensors["attention_mask"] = Tasks.Rows.Mask(rows, device);
        batch.Tensors["labels"] = labels.to(device);
        if (device.type != DeviceType.CPU) { inputIds.Dispose(); labels.Dispose(); }
        return batch;
    }

    public Tensor Loss(Batch batch) => model.Loss(batch["input_ids"], batch["attention_mask"], null, batch["labels"]);

    /// <summary>Loss (token-weighted mean cross-entropy over the masked positions, nats), perplexity = exp(loss), masked tokens.</summary>
    public EvalResult Evaluate(Split split, int batchSize, Device device)
    {
        var rows = splits[split];
        if (rows.Count == 0) throw new UserError($"{split.ToString().ToLowerInvariant()} data: no records to evaluate");
        var nll = new PerplexityAccumulator();
        using (new EvalScope(model))
            for (int start = 0; start < rows.Count; start += batchSize)
            {
                var indices = Enumerable.Range(start, Math.Min(batchSize, rows.Count - start)).ToList();
                using var batch = Collate(split, indices, device);
                if (batch.LossTokens == 0) continue;
                using var scope = NewDisposeScope();
                nll.Add(Loss(batch).item<float>(), batch.LossTokens);
            }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss"] = nll.MeanLoss, ["perplexity"] = nll.Perplexity, ["tokens"] = nll.Tokens,
        };
        var settings = System.FormattableString.Invariant($"loss:token-weighted mean NLL (nats) over masked tokens|perplexity:exp(loss)|masking:{probability} (80/10/10), fixed seed {EvaluationMaskSeed}");
        return new EvalResult(metrics, settings, "");
    }

    /// <summary>Writes a BertForMaskedLM folder: bert.* and cls.predictions.* (HF keys, decoder tied so not stored), config, tokenizer.</summary>
    public void Save(string dir) => ModelFolder.Save(dir, model, savedConfig, tokenizer, sourceDir);

    public void Dispose() => model.Dispose();
}
