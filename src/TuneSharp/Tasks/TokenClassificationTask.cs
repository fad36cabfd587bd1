using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Data;
using TuneSharp.Evaluation;
using TuneSharp.Models;
using TuneSharp.Models.Heads;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>
/// Token classification (NER with BIO/IOB2 tags, POS): records <c>{tokens: [...], tags: [...]}</c> with one tag
/// per word; words are aligned to sub-word tokens by character offset (<see cref="WordAlignment"/>), the first
/// sub-token of each word carries its tag and the rest -100. Heads: BertForTokenClassification
/// (<c>classifier</c>), LlamaForTokenClassification (<c>score</c>), GPT2ForTokenClassification (<c>classifier</c>).
/// Predictions are read at first sub-tokens and mapped back to word-level tags; words lost to truncation are
/// predicted "O". Metrics: seqeval entity F1 in default and strict IOB2 modes (when every tag is O/B-x/I-x),
/// word-level tag accuracy, and eval loss.
/// </summary>
public sealed class TokenClassificationTask : ITask
{
    readonly IClassifierModel model;
    readonly HfTokenizer tokenizer;
    readonly JsonObject savedConfig;
    readonly string sourceDir;
    readonly int padId;
    readonly Dictionary<Split, List<TokenClassificationExample>> splits = new();

    public string Name => "token-classification";

    /// <summary>The tag names in index order (the saved id2label).</summary>
    public LabelSet Labels { get; }

    /// <summary>The classifier (body + head, HF keys).</summary>
    public IClassifierModel Model => model;

    /// <summary>True when every tag is "O", "B-x" or "I-x", so entity-level (seqeval) metrics apply.</summary>
    public bool IsBio { get; }

    /// <summary>Loads <paramref name="modelDir"/>, resolves the tag set, builds the head and aligns every split.</summary>
    /// <param name="modelDir">The model folder (Hugging Face layout).</param>
    /// <param name="data">The record streams.</param>
    /// <param name="options">Length, fields, labels and the rest.</param>
    /// <param name="sharedEncoderHead">
    /// Multi-task learning: builds this task's head (for the resolved tags) on an encoder that its owner has already
    /// loaded, instead of loading a model of its own; null = a model of its own.
    /// </param>
    public TokenClassificationTask(string modelDir, TaskData data, TaskOptions options, Func<IReadOnlyList<string>, IClassifierModel>? sharedEncoderHead = null)
    {
        sourceDir = modelDir;
        var config = TaskModelSetup.Config(modelDir, options);
        ModelFactory.ModelType(config); // an unsupported model_type fails before the data is read
        (tokenizer, int vocab) = TaskModelSetup.Tokenizer(modelDir, config, options);
        var f = options.Fields;
        var records = new Dictionary<Split, List<DataRecord>>();
        foreach (var split in Enum.GetValues<Split>()) records[split] = RecordFields.Load(data.Of(split), split);
        var checkpointLabels = LabelSet.FromConfig(config.Root);
        var labelSource = options.LabelsFromAllSplits ? records.Values.SelectMany(r => r) : records[Split.Train];
        Labels = LabelSet.Resolve(options.Labels, checkpointLabels,
            labelSource.SelectMany(r => RecordFields.Array(r, f.Tags).Select(t => (r, f.Tags,
                t ?? throw new UserError($"{RecordFields.Where(r, f.Tags)}: a tag is null")))));
        IsBio = Labels.Names.All(n => n == "O" || n.StartsWith("B-", StringComparison.Ordinal) || n.StartsWith("I-", StringComparison.Ordinal));
        padId = TaskModelSetup.PadId(config, tokenizer);

        var device = torch.device(options.Device);
        model = sharedEncoderHead?.Invoke(Labels.Names) ?? Classifiers.Token(config, Labels.Names, device);
        try
        {
            if (sharedEncoderHead is null)
            {
                HeadCheckpoint.Load(model, modelDir, loadHead: checkpointLabels is not null && checkpointLabels.SequenceEqual(Labels.Names));
                model.ResizeTokenEmbeddings(vocab);
            }
            foreach (var (split, list) in records) splits[split] = list.Select(r => Encode(r, options)).ToList();
        }
        catch { model.Dispose(); throw; }

        savedConfig = TaskModelSetup.SavedConfig(config, vocab, model.Architecture);
        Labels.WriteTo(savedConfig);
        savedConfig["pad_token_id"] = padId;
        model.Module.train();
    }

    TokenClassificationExample Encode(DataRecord r, TaskOptions options)
    {
        var f = options.Fields;
        var words = RecordFields.Strings(r, f.Tokens);
        var tags = RecordFields.Array(r, f.Tags);
        if (words.Count == 0) throw new UserError($"{RecordFields.Where(r, f.Tokens)}: the sentence has no words");
        if (words.Count != tags.Count)
            throw new UserError($"{RecordFields.Where(r, f.Tags)}: {tags.Count} tag(s) for {words.Count} word(s) in '{f.Tokens}'; give one tag per word");
        for (int i = 0; i < words.Count; i++)
            if (words[i].Length == 0 || words[i].Any(char.IsWhiteSpace))
                throw new UserError($"{RecordFields.Where(r, f.Tokens)}[{i}]: a word must be non-empty and contain no whitespace, got '{words[i]}'");
        var wordTags = tags.Select(t => Labels.Of(r, f.Tags, t)).ToArray();
        var alignment = WordAlignment.Align(tokenizer, words, options.MaxLength);
        return new TokenClassificationExample(alignment, alignment.Labels(wordTags), wordTags);
    }

    /// <summary>The aligned examples of a split.</summary>
    public IReadOnlyList<TokenClassificationExample> Examples(Split split) => splits[split];

    public nn.Module Module => model.Module;

    public int Count(Split split) => splits[split].Count;

    public IReadOnlyList<int> TrainLengths => splits[Split.Train].Select(e => e.Alignment.Ids.Length).ToList();

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var items = indices.Select(i => splits[split][i]).ToList();
        var ids = items.Select(e => e.Alignment.Ids).ToList();
        var batch = new Batch
        {
            Examples = items.Count,
            InputTokens = ids.Sum(r => (long)r.Length),
            LossTokens = items.Sum(e => e.Labels.LongCount(l => l >= 0)),
        };
        batch.Tensors["input_ids"] = Rows.Pad(ids, padId, device);
        batch.Tensors["attention_mask"] = Rows.Mask(ids, device);
        batch.Tensors["labels"] = Rows.Pad(items.Select(e => e.Labels).ToList(), CausalLMLoss.IgnoreIndex, device);
        return batch;
    }

    public Tensor Loss(Batch batch)
    {
        using var scope = NewDisposeScope();
        return LossOf(model.Logits(batch["input_ids"], batch["attention_mask"]), batch["labels"]).MoveToOuterDisposeScope();
    }

    // Mean cross-entropy over labelled sub-tokens: logits (B, T, L), labels (B, T) with -100 elsewhere.
    Tensor LossOf(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits.to_type(ScalarType.Float32).reshape(-1, logits.shape[^1]),
            labels.to(logits.device).reshape(-1), ignore_index: CausalLMLoss.IgnoreIndex);

    /// <summary>Word-level predicted tags of a split (first sub-token argmax; "O" for words cut by truncation).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Predict(Split split, int batchSize, Device device) => Run(split, batchSize, device).Predicted;

    (List<IReadOnlyList<string>> Predicted, double Loss) Run(Split split, int batchSize, Device device)
    {
        var examples = splits[split];
        if (examples.Count == 0) throw new UserError($"{split.ToString().ToLowerInvariant()} data: no records to evaluate");
        var predicted = new List<IReadOnlyList<string>>();
        double lossSum = 0;
        long lossTokens = 0;
        using (new EvalScope(model.Module))
            for (int start = 0; start < examples.Count; start += batchSize)
            {
                var indices = Enumerable.Range(start, Math.Min(batchSize, examples.Count - start)).ToList();
                using var batch = Collate(split, indices, device);
                using var scope = NewDisposeScope();
                var logits = model.Logits(batch["input_ids"], batch["attention_mask"]);       // (B, T, L)
                if (batch.LossTokens > 0)
                {
                    lossSum += LossOf(logits, batch["labels"]).item<float>() * batch.LossTokens;
                    lossTokens += batch.LossTokens;
                }
                var best = logits.argmax(-1).cpu();                                           // (B, T)
                long T = best.shape[1];
                var flat = best.data<long>().ToArray();
                for (int b = 0; b < indices.Count; b++)
                {
                    var e = examples[indices[b]];
                    predicted.Add(e.Alignment.FirstToken.Select(t => t >= 0 ? Labels.Names[(int)flat[b * T + t]] : "O").ToList());
                }
            }
        return (predicted, lossTokens == 0 ? double.NaN : lossSum / lossTokens);
    }

    public EvalResult Evaluate(Split split, int batchSize, Device device)
    {
        var (predicted, loss) = Run(split, batchSize, device);
        var truth = splits[split].Select(e => (IReadOnlyList<string>)e.WordTags.Select(t => Labels.Names[t]).ToList()).ToList();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = loss };
        var md = new StringBuilder();
        string settings;
        if (IsBio)
        {
            var lenient = NerMetrics.Evaluate(truth, predicted);
            var strict = NerMetrics.Evaluate(truth, predicted, NerMode.Strict, TaggingScheme.IOB2);
            metrics["f1"] = lenient.Micro.F1;
            metrics["precision"] = lenient.Micro.Precision;
            metrics["recall"] = lenient.Micro.Recall;
            metrics["strict_f1"] = strict.Micro.F1;
            metrics["strict_precision"] = strict.Micro.Precision;
            metrics["strict_recall"] = strict.Micro.Recall;
            metrics["token_accuracy"] = lenient.TokenAccuracy;
            foreach (var row in lenient.Types) metrics["f1/" + row.Name] = row.F1;
            md.Append("Default mode:\n```\n").Append(lenient.ToText(4)).Append("```\n\nStrict IOB2:\n```\n").Append(strict.ToText(4)).Append("```\n");
            settings = lenient.Settings + " ; " + strict.Settings + "|words:first-subtoken";
        }
        else
        {
            var t = truth.SelectMany(x => x).ToList();
            var p = predicted.SelectMany(x => x).ToList();
            var report = ClassificationMetrics.Report(t, p, Labels.Names);
            metrics["token_accuracy"] = report.Accuracy;
            metrics["macro_f1"] = report.Macro.F1;
            metrics["weighted_f1"] = report.Weighted.F1;
            md.Append("```\n").Append(report.ToText(4)).Append("```\n");
            settings = report.Settings + "|words:first-subtoken";
        }
        return new EvalResult(metrics, settings + "|loss:cross-entropy(mean over first sub-tokens)", md.ToString());
    }

    /// <summary>Writes the full model folder: weights with HF keys, config.json with id2label/label2id/num_labels, tokenizer.</summary>
    public void Save(string dir) => ModelFolder.Save(dir, model.Module, savedConfig, tokenizer, sourceDir);

    public void Dispose() => model.Dispose();
}
