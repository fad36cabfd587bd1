using TorchSharp;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Distillation;

/// <summary>
/// Task-specific knowledge distillation for sequence classification, as an <see cref="ITask"/> around the student's
/// task so the trainer needs no change: Loss runs the frozen teacher (eval mode, no_grad) on the same batch and returns
/// (1 − α)·hard + α·T²·KL(softmax(t/T) ‖ softmax(s/T)) [+ hidden_mse · MSE(proj(h_s), h_t)]. Counting, batching,
/// evaluation and saving are the student's; the saved folder is the student alone (no projections).
/// </summary>
public sealed class DistillationTask : ITask
{
    readonly SequenceClassificationTask student;
    readonly SequenceClassificationTask teacher;
    readonly HiddenStateLoss? hidden;
    readonly nn.Module module;

    /// <summary>The settings in force.</summary>
    public DistillationOptions Options { get; }

    /// <summary>The student's task (what is evaluated and saved).</summary>
    public SequenceClassificationTask Student => student;

    /// <summary>The frozen teacher's task (eval mode, no gradients).</summary>
    public SequenceClassificationTask Teacher => teacher;

    /// <summary>
    /// Wraps <paramref name="student"/>; takes ownership of both tasks. The teacher must classify the same labels from
    /// the same token ids (its tokenizer), and for the hidden term both must be BERT classifiers.
    /// </summary>
    public DistillationTask(SequenceClassificationTask student, SequenceClassificationTask teacher, DistillationOptions options, Func<string, string>? key = null)
    {
        Options = options;
        key ??= k => "distillation." + k;
        this.student = student;
        this.teacher = teacher;
        if (!(options.Temperature > 0)) throw new UserError($"{key("temperature")}: must be positive, got {options.Temperature}");
        if (options.Alpha is < 0 or > 1) throw new UserError($"{key("alpha")}: must be in [0, 1], got {options.Alpha}");
        if (options.HiddenMse < 0) throw new UserError($"{key("hidden_mse")}: must be >= 0, got {options.HiddenMse}");
        CheckCompatible(key);
        teacher.Module.eval();
        foreach (var p in teacher.Module.parameters()) p.requires_grad = false;
        module = student.Module;
        if (options.HiddenMse > 0)
        {
            if (student.Model is not BertSequenceClassifier s || teacher.Model is not BertSequenceClassifier t)
                throw new UserError($"{key("hidden_mse")}: the hidden-state term needs BERT classifiers as student and teacher; set it to 0");
            int sl = s.Model.Config.num_hidden_layers, tl = t.Model.Config.num_hidden_layers;
            var map = options.LayerMap is { } given ? LayerMap.Check(given, sl, tl, key("layer_map")) : LayerMap.Evenly(sl, tl);
            var device = s.Model.classifier.parameters().First().device;
            hidden = new HiddenStateLoss(s.Model.Config.hidden_size, t.Model.Config.hidden_size, map, device);
            // The projections train with the student; a wrapper module makes the optimizer see them.
            if (hidden.HasProjection) module = new StudentWithProjection(student.Module, hidden);
        }
        else if (options.LayerMap is not null) throw new UserError($"{key("layer_map")}: only read with hidden_mse > 0");
    }

    void CheckCompatible(Func<string, string> key)
    {
        if (teacher.Labels.Count == 0 || !teacher.Labels.Names.SequenceEqual(student.Labels.Names))
            throw new UserError($"{key("teacher")}: its labels ({string.Join(", ", teacher.Labels.Names)}) differ from the student's ({string.Join(", ", student.Labels.Names)})");
        if (!teacher.HeadLoaded)
            throw new UserError($"{key("teacher")}: has no trained head for these labels (its config.json id2label differs or is missing); give a fine-tuned classifier folder");
        // Same token ids for every training example = same tokenizer as far as this data is concerned.
        var s = student.Examples(Split.Train);
        var t = teacher.Examples(Split.Train);
        if (s.Count != t.Count || Enumerable.Range(0, s.Count).Any(i => !s[i].Ids.AsSpan().SequenceEqual(t[i].Ids)))
            throw new UserError($"{key("teacher")}: its tokenizer encodes the training data differently from the student's; distillation here needs the same tokenizer");
        if (student.Model is MultiTaskHead)
            throw new UserError($"{key("teacher")}: not supported with task: multi-task");
    }

    public string Name => student.Name + "+distillation";

    public nn.Module Module => module;

    public int Count(Split split) => student.Count(split);

    public IReadOnlyList<int> TrainLengths => student.TrainLengths;

    public Batch Collate(Split split, IReadOnlyList<int> indices, Device device) => student.Collate(split, indices, device);

    public Tensor Loss(Batch batch)
    {
        using var scope = NewDisposeScope();
        Tensor studentLogits, teacherLogits, loss;
        if (hidden is null)
        {
            studentLogits = student.Logits(batch);                                                   // (B, L)
            using (no_grad()) teacherLogits = teacher.Logits(batch);                                 // (B, L)
            loss = KdLoss.Mix(student.LossOf(studentLogits, batch["labels"]), KdLoss.SoftTargets(studentLogits, teacherLogits, Options.Temperature), Options.Alpha);
        }
        else
        {
            var s = ((BertSequenceClassifier)student.Model).Model;
            var t = ((BertSequenceClassifier)teacher.Model).Model;
            var (ids, mask, types) = (batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]);
            (studentLogits, var studentStates) = BertClassifierStates.Forward(s, ids, mask, types);
            IReadOnlyList<Tensor> teacherStates;
            using (no_grad()) (teacherLogits, teacherStates) = BertClassifierStates.Forward(t, ids, mask, types);
            loss = KdLoss.Mix(student.LossOf(studentLogits, batch["labels"]), KdLoss.SoftTargets(studentLogits, teacherLogits, Options.Temperature), Options.Alpha)
                + hidden.Loss(studentStates, teacherStates, mask) * Options.HiddenMse;
        }
        return loss.MoveToOuterDisposeScope();
    }

    public EvalResult Evaluate(Split split, int batchSize, Device device) => student.Evaluate(split, batchSize, device);

    /// <summary>Saves the student alone, as its own task would (the projections are training scaffolding).</summary>
    public void Save(string dir) => student.Save(dir);

    public void Dispose()
    {
        hidden?.Dispose();
        teacher.Dispose();
        student.Dispose();
    }

    /// <summary>The trained module when projections exist: the student (keys "student.*") and the projections ("hidden.*").</summary>
    sealed class StudentWithProjection : nn.Module
    {
#pragma warning disable IDE1006 // registered module names
        public nn.Module student;
        public HiddenStateLoss hidden;
#pragma warning restore IDE1006

        public StudentWithProjection(nn.Module student, HiddenStateLoss hidden) : base(nameof(StudentWithProjection))
        {
            this.student = student;
            this.hidden = hidden;
            RegisterComponents();
        }
    }
}
