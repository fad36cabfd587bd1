using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.IO;
using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// Multi-task learning's model: one BERT encoder shared by several task heads, each a dropout + Linear(hidden,
/// num_labels) read at a pooled position (sequence heads) or at every position (token heads). Keys: <c>bert.*</c>
/// (loadable by transformers as a BertModel) and <c>heads.&lt;name&gt;.weight/bias</c>; with uncertainty loss
/// weighting also <c>loss_log_vars</c> (T,), one learned log-variance per task (training only; inference ignores it).
/// </summary>
public sealed class MultiTaskModel : nn.Module
{
    public BertModel bert;
    public ModuleDict<Linear> heads = new();
    readonly BertConfig config;
    readonly double dropout;
    readonly Dictionary<string, MultiTaskHeadSpec> specs = new(StringComparer.Ordinal);

    /// <summary>An untrained encoder; <paramref name="withPooler"/> builds BERT's pooler (some sequence head pools with it).</summary>
    public MultiTaskModel(BertConfig config, bool withPooler, Device? device = null) : base(nameof(MultiTaskModel))
    {
        this.config = config;
        bert = new BertModel(config, device, addPoolingLayer: withPooler);
        dropout = config.classifier_dropout ?? config.hidden_dropout_prob;
        RegisterComponents();
    }

    /// <summary>Written to config.json "architectures": the body is a plain BertModel for transformers; the heads are TuneSharp's.</summary>
    public const string Architecture = "BertModel";

    /// <summary>The heads in the order they were added.</summary>
    public IReadOnlyList<MultiTaskHeadSpec> Heads => specs.Values.ToList();

    /// <summary>The learned log-variances (T,) of uncertainty weighting, or null.</summary>
    public Parameter? LossLogVariances { get; private set; }

    /// <summary>Adds a freshly initialised head (normal(0, initializer_range), bias 0) on the encoder's device.</summary>
    public void AddHead(MultiTaskHeadSpec spec)
    {
        if (specs.ContainsKey(spec.Name)) throw new ArgumentException($"head '{spec.Name}' exists", nameof(spec));
        if (spec.Task == MultiTaskHeadSpec.SequenceTask && spec.Pooling == SequencePooling.Pooler && bert.pooler is null)
            throw new ArgumentException("a pooler head needs the model built with its pooler", nameof(spec));
        var device = bert.embeddings.word_embeddings.weight!.device;
        var head = nn.Linear(config.hidden_size, spec.Labels.Count, true, device);
        HeadInit.Normal(head, config.initializer_range);
        heads.Add(spec.Name, head);
        heads.register_module(spec.Name, head); // ModuleDict registers only what it holds at RegisterComponents
        specs[spec.Name] = spec;
    }

    /// <summary>Adds one learned log-variance per task, initialised to 0 (weight 1).</summary>
    public void AddLossLogVariances(int tasks)
    {
        var device = bert.embeddings.word_embeddings.weight!.device;
        LossLogVariances = new Parameter(zeros(tasks, device: device));
        register_parameter("loss_log_vars", LossLogVariances);
    }

    /// <summary>The spec of head <paramref name="name"/>.</summary>
    public MultiTaskHeadSpec Spec(string name) => specs[name];

    /// <summary>
    /// Logits of head <paramref name="head"/>: (B, num_labels) for a sequence head, (B, T, num_labels) for a token
    /// head. input_ids, attention_mask and token_type_ids (B, T); token types may be null (zeros).
    /// </summary>
    public Tensor Logits(string head, Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        var spec = specs[head];
        var hidden = bert.HiddenStates(inputIds, attentionMask, tokenTypeIds);                  // (B, T, C)
        var features = spec.Task != MultiTaskHeadSpec.SequenceTask ? hidden
            : spec.Pooling == SequencePooling.Pooler ? bert.pooler!.forward(hidden)             // (B, C)
            : SequencePooling.PoolMasked(hidden, attentionMask, spec.Pooling ?? SequencePooling.Cls);
        return heads[head].forward(nn.functional.dropout(features, dropout, training)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Loads the encoder from a model folder (keys <c>bert.*</c>, or unprefixed as a bare BertModel saves them);
    /// every encoder tensor must be there with its shape. Heads are loaded where <paramref name="loadHead"/> says so
    /// and the checkpoint has them with the right shape; others keep their fresh initialisation. Returns the heads loaded.
    /// </summary>
    public IReadOnlyList<string> Load(string dir, Func<string, bool> loadHead)
    {
        using var checkpoint = Checkpoint.Open(dir);
        var plan = new List<(string Source, Tensor Target)>();
        var targets = bert.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(bert.named_buffers(recurse: true, include_nonpersistent: false).Select(b => (b.name, b.buffer)));
        foreach (var (name, target) in targets)
        {
            string key = "bert." + name;
            string source = checkpoint.Contains(key) ? key : checkpoint.Contains(name) ? name
                : throw new UserError($"{checkpoint.Source}: tensor '{key}' is missing: the model has it, the checkpoint does not");
            Require(checkpoint, source, target);
            plan.Add((source, target));
        }
        var loaded = new List<string>();
        foreach (var name in specs.Keys.Where(loadHead))
        {
            var head = heads[name];
            string w = $"heads.{name}.weight", b = $"heads.{name}.bias";
            if (!checkpoint.Contains(w) || !checkpoint.Contains(b)) continue;
            if (!checkpoint.Info(w).Shape.SequenceEqual(head.weight!.shape) || !checkpoint.Info(b).Shape.SequenceEqual(head.bias!.shape)) continue;
            plan.Add((w, head.weight!));
            plan.Add((b, head.bias!));
            loaded.Add(name);
        }
        using (no_grad())
            foreach (var (source, target) in plan) checkpoint.ReadInto(source, target);
        return loaded;
    }

    static void Require(Checkpoint checkpoint, string source, Tensor target)
    {
        var info = checkpoint.Info(source);
        if (!info.Shape.SequenceEqual(target.shape))
            throw new UserError($"{checkpoint.FileOf(source)}: tensor '{source}' has shape {info.ShapeText}, the model expects {SafetensorsTensorInfo.FormatShape(target.shape)}");
    }
}
