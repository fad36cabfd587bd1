using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Heads;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>
/// Multi-task learning: one shared BERT encoder (<see cref="MultiTaskModel"/>) with a head per task, each task a
/// plain <see cref="SequenceClassificationTask"/> or <see cref="TokenClassificationTask"/> built on its head.
/// The trainer sees one task: examples are numbered across the tasks' splits concatenated in task order, a batch
/// holds one task's examples (<see cref="Training.MultiTaskMixing"/> orders them), and its loss is that task's
/// loss weighted by <see cref="MultiTaskLoss"/>. Evaluation reports every task's metrics as "name/metric", plus
/// "loss" (the mean of the tasks' losses) and "score" (the mean of each task's chosen metric) for model selection.
/// A batch counts its examples (not its labelled tokens) toward gradient accumulation, so a sentence-level task is
/// not drowned by a token-level one in a mixed accumulation step.
/// </summary>
public sealed class MultiTaskTask : ITask
{
    readonly MultiTaskModel model;
    readonly List<(SubTaskSpec Spec, ITask Task)> tasks = [];
    readonly HfTokenizer tokenizer;
    readonly JsonObject savedConfig;
    readonly string sourceDir;

    /// <summary>Loads the encoder of <paramref name="modelDir"/> (a BERT model) once and builds every task's head on it.</summary>
    /// <param name="modelDir">A BERT model folder, or a multi-task model folder (heads with the same name, task and labels continue from it).</param>
    /// <param name="specs">The tasks (one or more; one task is the single-task baseline with identical data handling).</param>
    /// <param name="uncertaintyWeighting">Learn the loss weights (Kendall et al. 2018) instead of the specs' fixed weights.</param>
    public MultiTaskTask(string modelDir, IReadOnlyList<SubTaskSpec> specs, bool uncertaintyWeighting = false)
    {
        if (specs.Count == 0) throw new UserError("multi_task.tasks: give at least one task");
        foreach (var s in specs)
        {
            if (s.Name.Length == 0 || !s.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new UserError($"multi_task.tasks: '{s.Name}' is not a head name (letters, digits, '_' and '-')");
            if (!SubTaskSpec.Tasks.Contains(s.Task))
                throw new UserError($"multi_task.tasks.{s.Name}.task: '{s.Task}' cannot share an encoder here (tasks: {string.Join(", ", SubTaskSpec.Tasks)})");
        }
        if (specs.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } dup)
            throw new UserError($"multi_task.tasks: the head name '{dup.Key}' is used twice");
        sourceDir = modelDir;
        var first = specs[0].Options;
        var config = TaskModelSetup.Config(modelDir, first);
        if (ModelFactory.ModelType(config) != "bert")
            throw new UserError($"multi_task: shares a BERT encoder; {config.Path} has model_type '{ModelFactory.ModelType(config)}'");
        (tokenizer, int vocab) = TaskModelSetup.Tokenizer(modelDir, config, first);

        string PoolingOf(SubTaskSpec s) => s.Options.Pooling is { } p ? SequencePooling.CheckBert(p, $"multi_task.tasks.{s.Name}.pooling") : SequencePooling.FromBertConfig(config);
        bool withPooler = specs.Any(s => s.Task == MultiTaskHeadSpec.SequenceTask && PoolingOf(s) == SequencePooling.Pooler);
        model = new MultiTaskModel(BertConfig.From(config), withPooler, torch.device(first.Device));
        try
        {
            foreach (var spec in specs)
            {
                IClassifierModel Head(IReadOnlyList<string> labels)
                {
                    model.AddHead(new MultiTaskHeadSpec(spec.Name, spec.Task, labels, spec.Task == MultiTaskHeadSpec.SequenceTask ? PoolingOf(spec) : null));
                    return new MultiTaskHead(model, spec.Name, ownsModel: false);
                }
                ITask task = spec.Task == MultiTaskHeadSpec.SequenceTask
                    ? new SequenceClassificationTask(modelDir, spec.Data, spec.Options, Head)
                    : new TokenClassificationTask(modelDir, spec.Data, spec.Options, Head);
                tasks.Add((spec, task));
                if (task.Count(Split.Train) == 0) throw new UserError($"multi_task.tasks.{spec.Name}.train: the training split is empty");
            }
            // A multi-task folder continues its heads when name, task and labels match; other heads start fresh.
            var saved = MultiTaskHeadSpec.FromConfig(config) ?? [];
            HeadsFromCheckpoint = model.Load(modelDir, name => saved.Any(h => h.Name == name && h.Task == model.Spec(name).Task && h.Labels.SequenceEqual(model.Spec(name).Labels)));
            if (vocab > config.Int("vocab_size")) model.bert.ResizeTokenEmbeddings(vocab);
            if (uncertaintyWeighting) model.AddLossLogVariances(specs.Count);
            Weighting = uncertaintyWeighting ? new MultiTaskLoss(model.LossLogVariances!) : new MultiTaskLoss(specs.Select(s => s.Weight).ToList());
        }
        catch { Dispose(); throw; }

        savedConfig = TaskModelSetup.SavedConfig(config, vocab, MultiTaskModel.Architecture);
        foreach (var key in (string[])["id2label", "label2id", "num_labels", "problem_type", SequencePooling.ConfigKey]) savedConfig.Remove(key);
        savedConfig[MultiTaskHeadSpec.ConfigKey] = new JsonArray(model.Heads.Select(h => (JsonNode)h.ToJson()).ToArray());
        savedConfig["pad_token_id"] = TaskModelSetup.PadId(config, tokenizer);
        model.train();
    }

    public string Name => "multi-task";

    /// <summary>The shared encoder and every head.</summary>
    public MultiTaskModel Model => model;

    /// <summary>The heads that came from the model folder (a multi-task folder with the same name, task and labels).</summary>
    public IReadOnlyList<string> HeadsFromCheckpoint { get; } = [];

    /// <summary>How the tasks' losses are weighted.</summary>
    public MultiTaskLoss Weighting { get; } = new([]);

    /// <summary>The tasks in order: spec and the single-task view on its head.</summary>
    public IReadOnlyList<(SubTaskSpec Spec, ITask Task)> Tasks => tasks;

    public nn.Module Module => model;

    public int Count(Split split) => tasks.Sum(t => t.Task.Count(split));

    /// <summary>Training examples per task, in task order.</summary>
    public IReadOnlyList<int> TrainCounts => tasks.Select(t => t.Task.Count(Split.Train)).ToList();

    public IReadOnlyList<int> TrainLengths => tasks.SelectMany(t => t.Task.TrainLengths).ToList();

    /// <summary>The task of a global example index, and the index within it.</summary>
    (int Task, int Local) Locate(Split split, int index)
    {
        int offset = 0;
        for (int t = 0; t < tasks.Count; t++)
        {
            int n = tasks[t].Task.Count(split);
            if (index < offset + n) return (t, index - offset);
            offset += n;
        }
        throw new ArgumentOutOfRangeException(nameof(index), $"example {index} is past the {offset} of split {split}");
    }

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device)
    {
        var located = indices.Select(i => Locate(split, i)).ToList();
        int task = located[0].Task;
        if (located.Any(l => l.Task != task)) throw new InvalidOperationException("a multi-task batch must hold one task's examples");
        using var inner = tasks[task].Task.Collate(split, located.Select(l => l.Local).ToList(), device);
        var batch = new Batch { Examples = inner.Examples, InputTokens = inner.InputTokens, LossTokens = inner.Examples, TaskIndex = task };
        foreach (var (name, tensor) in inner.Tensors) batch.Tensors[name] = tensor;
        inner.Tensors.Clear(); // moved, not disposed
        return batch;
    }

    public Tensor Loss(Batch batch)
    {
        using var scope = NewDisposeScope();
        var loss = tasks[batch.TaskIndex].Task.Loss(batch);
        return Weighting.Weigh(batch.TaskIndex, loss).MoveToOuterDisposeScope();
    }

    /// <summary>The metric of task <paramref name="t"/> that enters "score".</summary>
    string MetricOf(int t) => tasks[t].Spec.Metric ?? tasks[t].Task switch
    {
        TokenClassificationTask { IsBio: true } => "f1",
        TokenClassificationTask => "token_accuracy",
        _ => "accuracy",
    };

    public EvalResult Evaluate(Split split, int batchSize, Device device)
    {
        if (Count(split) == 0) throw new UserError($"{split.ToString().ToLowerInvariant()} data: no records to evaluate");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var md = new StringBuilder();
        var settings = new List<string>();
        double lossSum = 0, scoreSum = 0;
        int evaluated = 0;
        for (int t = 0; t < tasks.Count; t++)
        {
            var (spec, task) = tasks[t];
            if (task.Count(split) == 0) continue;
            var r = task.Evaluate(split, batchSize, device);
            var metric = MetricOf(t);
            if (!r.Metrics.TryGetValue(metric, out double score))
                throw new UserError($"multi_task.tasks.{spec.Name}.metric: '{metric}' is not reported by this task (it reports: {string.Join(", ", r.Metrics.Keys)})");
            foreach (var (k, v) in r.Metrics) metrics[$"{spec.Name}/{k}"] = v;
            lossSum += r["loss"]; scoreSum += score; evaluated++;
            md.Append($"#### {spec.Name} ({spec.Task}, {task.Count(split)} examples)\n\n").Append(r.ReportMarkdown).Append('\n');
            settings.Add($"{spec.Name}:{r.Settings}");
        }
        var weights = Weighting.Weights();
        for (int t = 0; t < tasks.Count; t++) metrics[$"{tasks[t].Spec.Name}/loss_weight"] = weights[t];
        metrics["loss"] = lossSum / evaluated;
        metrics["score"] = scoreSum / evaluated;
        string combined = "score = mean of " + string.Join(", ", Enumerable.Range(0, tasks.Count).Where(t => tasks[t].Task.Count(split) > 0).Select(t => $"{tasks[t].Spec.Name}/{MetricOf(t)}"));
        return new EvalResult(metrics, string.Join(" ; ", settings) + " ; " + combined, md.ToString());
    }

    /// <summary>
    /// Writes one model folder: model.safetensors with the encoder (bert.*) and every head (heads.NAME.*), config.json
    /// listing the heads (tunesharp_heads: name, task, id2label, pooling), and the tokenizer.
    /// </summary>
    public void Save(string dir) => ModelFolder.Save(dir, model, savedConfig, tokenizer, sourceDir);

    public void Dispose()
    {
        foreach (var (_, task) in tasks) task.Dispose();
        model.Dispose();
    }
}
