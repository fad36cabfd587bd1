using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// The training loop: seeded data order, gradient accumulation (token-weighted), clipping, LR schedule,
/// periodic evaluation with early stopping and best-checkpoint tracking, atomic checkpoints with exact
/// resume, and a guard that skips non-finite steps. One readable loop, no callbacks.
/// </summary>
public sealed class Trainer
{
    readonly ITask task;
    readonly TrainingOptions o;
    readonly string runDir;
    readonly Device device;
    readonly IBatchOrder? order;
    readonly ITrainingObjective objective;

    /// <summary>
    /// A trainer of <paramref name="task"/>; <paramref name="order"/> orders each epoch's batches (curriculum, multi-task
    /// mixing), null = <see cref="DataOrder"/>'s seeded shuffle; <paramref name="objective"/> does each micro-batch's
    /// forward and backward (adversarial training), null = the task's loss (<see cref="PlainObjective"/>).
    /// </summary>
    public Trainer(ITask task, TrainingOptions options, string runDir, Device device, IBatchOrder? order = null, ITrainingObjective? objective = null)
    {
        this.objective = objective ?? new PlainObjective(task);
        options.Validate();
        if (task.Count(Split.Train) == 0) throw new UserError("data.train: the training split is empty");
        this.task = task; o = options; this.runDir = runDir; this.device = device; this.order = order;
        Directory.CreateDirectory(runDir);
    }

    /// <summary>Micro-batches per epoch and optimizer steps in the whole run.</summary>
    public (int BatchesPerEpoch, int TotalSteps) Plan() => Plan(task, o, order);

    /// <summary>
    /// Micro-batches per epoch and optimizer steps of a run of <paramref name="task"/> under <paramref name="o"/>, with
    /// <paramref name="order"/>'s batches when given; for callers that size something by the run before it starts (a curriculum's pacing).
    /// </summary>
    public static (int BatchesPerEpoch, int TotalSteps) Plan(ITask task, TrainingOptions o, IBatchOrder? order = null)
    {
        int batches = order?.Batches(0).Count ?? (task.Count(Split.Train) + o.BatchSize - 1) / o.BatchSize;
        int stepsPerEpoch = Math.Max(1, (batches + o.GradientAccumulationSteps - 1) / o.GradientAccumulationSteps);
        int total = o.MaxSteps > 0 ? o.MaxSteps : stepsPerEpoch * o.Epochs;
        return (batches, total);
    }

    /// <summary>Trains; with <paramref name="resumeFrom"/> (a checkpoint folder) continues exactly where it stopped.</summary>
    /// <param name="resumeFrom">Checkpoint folder to continue from, or null to start.</param>
    /// <param name="progress">Receives a report after each logged step and each evaluation.</param>
    /// <param name="cancel">Stops the loop (OperationCanceledException) before the next step.</param>
    /// <param name="onEvaluation">
    /// Called with (step, validation metrics) after each periodic evaluation. A caller that decides there to stop
    /// (a hyperparameter-search pruner) cancels <paramref name="cancel"/>; the loop then stops at once, before the
    /// checkpoint of that step is written.
    /// </param>
    public TrainResult Train(string? resumeFrom = null, IProgress<TrainProgress>? progress = null, CancellationToken cancel = default,
        Action<int, IReadOnlyDictionary<string, double>>? onEvaluation = null)
    {
        var (batchesPerEpoch, totalSteps) = Plan();
        int warmup = LrSchedule.Warmup(o, totalSteps);
        var module = task.Module;
        int blocks = LayerGroups.Blocks(module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name));
        using var weights = new TrainableWeights(module, o.MixedBf16, flat: o.Optimizer == "adamw_flat",
            lrFactor: name => LayerGroups.LrFactor(name, blocks, o.LayerwiseLrDecay));
        using var optimizer = weights.CreateOptimizer(o);
        // After TrainableWeights: bf16 replaces the model's Parameter objects, and the schedule must hold the new ones.
        var unfreezing = o.GradualUnfreezing ? new GradualUnfreezing(module, o.UnfreezeEverySteps) : null;
        int openGroups = 0;
        var store = new CheckpointStore(runDir);

        random.manual_seed(o.Seed);
        var state = new TrainerState();
        if (resumeFrom is not null)
        {
            state = CheckpointStore.Load(resumeFrom, weights.Optimized, optimizer);
            weights.SyncModel();
            CheckpointStore.RestoreRng(state.TorchRngState);
        }
        using var log = new MetricsLog(Path.Combine(runDir, "metrics.jsonl"), resumeFrom is null ? null : state.GlobalStep);

        int step = state.GlobalStep, epoch = state.Epoch, nextBatch = state.NextBatch;
        int skipped = state.SkippedSteps, nonFiniteRow = state.NonFiniteInARow, badEvals = state.EvalsWithoutImprovement;
        double? best = state.BestMetric; int? bestStep = state.BestStep;
        long tokensSeen = state.TokensSeen;
        bool stoppedEarly = false;
        IReadOnlyDictionary<string, double>? lastEval = null;
        var clock = Stopwatch.StartNew();
        long tokensAtStart = tokensSeen; int stepAtStart = step;
        double lossSum = 0; int lossCount = 0;
        int maxEpochs = o.MaxSteps > 0 ? int.MaxValue : o.Epochs;

        TrainerState Snapshot() => new()
        {
            GlobalStep = step, Epoch = epoch, NextBatch = nextBatch, BestMetric = best, BestStep = bestStep,
            EvalsWithoutImprovement = badEvals, SkippedSteps = skipped, NonFiniteInARow = nonFiniteRow,
            TokensSeen = tokensSeen, TorchRngState = CheckpointStore.RngToBase64(),
        };

        module.train();
        while (epoch < maxEpochs && step < totalSteps && !stoppedEarly)
        {
            var batches = order?.Batches(epoch) ?? DataOrder.Batches(task.Count(Split.Train), o.BatchSize, o.Seed, epoch, task.TrainLengths, o.GroupByLength);
            while (nextBatch < batches.Count && step < totalSteps && !stoppedEarly)
            {
                cancel.ThrowIfCancellationRequested();
                var group = batches.Skip(nextBatch).Take(o.GradientAccumulationSteps).ToList();
                nextBatch += group.Count;
                double lr = LrSchedule.At(o.LrScheduler, o.LearningRate, step, totalSteps, warmup);
                optimizer.SetLearningRate(lr);

                if (unfreezing?.Apply(step, epoch) is int open && open != openGroups)
                {
                    openGroups = open;
                    log.Write(new JsonObject { ["split"] = "train", ["step"] = step, ["event"] = "unfrozen", ["open_groups"] = open });
                }
                var (loss, gradNorm, tokens) = ForwardBackward(group, weights);
                tokensSeen += tokens;
                if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
                {
                    // Skip the update: gradients are dropped, weights and optimizer state stay as they were.
                    weights.ZeroGrad();
                    skipped++; nonFiniteRow++;
                    log.Write(new JsonObject { ["split"] = "train", ["step"] = step, ["event"] = "non_finite_skipped", ["loss"] = Finite(loss), ["grad_norm"] = Finite(gradNorm), ["skipped_steps"] = skipped });
                    if (nonFiniteRow >= o.MaxNonFiniteSteps)
                        throw new UserError($"training stopped: {nonFiniteRow} non-finite steps in a row (loss {loss}, grad norm {gradNorm}) at step {step}; "
                            + $"the last good checkpoint is {store.Latest() ?? "(none yet)"}; try a lower learning_rate or max_grad_norm");
                    continue;
                }
                nonFiniteRow = 0;
                optimizer.Step();
                weights.ZeroGrad();
                weights.SyncModel();
                objective.AfterOptimizerStep();
                step++;
                lossSum += loss; lossCount++;

                double elapsed = clock.Elapsed.TotalSeconds;
                double tps = elapsed > 0 ? (tokensSeen - tokensAtStart) / elapsed : 0;
                var eta = step > stepAtStart ? TimeSpan.FromSeconds(elapsed / (step - stepAtStart) * (totalSteps - step)) : TimeSpan.Zero;
                double epochFloat = epoch + (double)nextBatch / batches.Count;
                log.Write(new JsonObject
                {
                    ["split"] = "train", ["step"] = step, ["epoch"] = Math.Round(epochFloat, 4), ["loss"] = loss,
                    ["lr"] = lr, ["grad_norm"] = gradNorm, ["tokens"] = tokensSeen, ["tokens_per_s"] = Math.Round(tps, 1),
                });
                if (step % o.LoggingSteps == 0 || step == totalSteps)
                {
                    progress?.Report(new TrainProgress(step, totalSteps, epochFloat, lossSum / lossCount, lr, tps, clock.Elapsed, eta));
                    lossSum = 0; lossCount = 0;
                }

                bool epochEnd = nextBatch >= batches.Count;
                bool evalNow = (o.EvalStrategy ?? (o.EvalSteps > 0 ? "steps" : "epoch")) switch
                {
                    "no" => false,
                    "steps" => step % o.EvalSteps == 0 || step == totalSteps,
                    _ => epochEnd || step == totalSteps,
                };
                bool saveNow = o.SaveSteps > 0 ? step % o.SaveSteps == 0 : evalNow;
                if (epochEnd) { epoch++; nextBatch = 0; }
                if (evalNow && task.Count(Split.Validation) > 0)
                {
                    var result = task.Evaluate(Split.Validation, o.EvalBatchSize, device);
                    module.train();
                    lastEval = result.Metrics;
                    var entry = new JsonObject { ["split"] = "validation", ["step"] = step, ["epoch"] = Math.Round(epochFloat, 4) };
                    foreach (var (k, v) in result.Metrics) entry[k] = Finite(v);
                    log.Write(entry);
                    if (!result.Metrics.TryGetValue(o.MetricForBestModel, out double value))
                        throw new UserError($"training.metric_for_best_model: '{o.MetricForBestModel}' is not reported by this task (it reports: {string.Join(", ", result.Metrics.Keys)})");
                    bool improved = best is null || (o.GreaterIsBetter ? value > best + o.EarlyStoppingThreshold : value < best - o.EarlyStoppingThreshold);
                    if (improved) { best = value; bestStep = step; badEvals = 0; saveNow = true; }
                    else badEvals++;
                    progress?.Report(new TrainProgress(step, totalSteps, epochFloat, double.NaN, lr, tps, clock.Elapsed, eta,
                        $"eval step {step}: " + string.Join(", ", result.Metrics.Select(m => $"{m.Key} {m.Value:0.####}")) + (improved ? " (best)" : "")));
                    if (o.EarlyStoppingPatience > 0 && badEvals >= o.EarlyStoppingPatience) stoppedEarly = true;
                    onEvaluation?.Invoke(step, result.Metrics);
                    cancel.ThrowIfCancellationRequested();
                }
                if ((saveNow || stoppedEarly || step == totalSteps) && o.SaveStrategy != "no")
                    store.Save(step, weights.Optimized, optimizer, Snapshot(), o.SaveTotalLimit, bestStep);
                if (epochEnd) break; // the next epoch has its own order
            }
            // A skipped (non-finite) last step ends the epoch without passing through the epochEnd branch.
            if (nextBatch >= batches.Count) { epoch++; nextBatch = 0; }
        }

        if (o.LoadBestModelAtEnd && bestStep is int b && b != step)
        {
            var bestDir = store.List().FirstOrDefault(c => c.Step == b).Dir;
            if (bestDir is not null)
            {
                CheckpointStore.LoadWeights(bestDir, weights.Optimized.ToDictionary(p => p.Name, p => p.Param, StringComparer.Ordinal));
                weights.SyncModel();
            }
        }
        unfreezing?.RestoreAll();
        weights.Finish();
        module.eval();
        return new TrainResult(step, skipped, best, bestStep, stoppedEarly, lastEval);
    }

    /// <summary>
    /// Forward and backward over the micro-batches of one optimizer step. Each micro-batch's mean loss is
    /// weighted by its share of the step's loss tokens, so the step's gradient is that of the mean over
    /// all its tokens, whatever the split into micro-batches. Returns the step loss, the gradient norm
    /// (before clipping) and the input tokens.
    /// </summary>
    (double Loss, double GradNorm, long Tokens) ForwardBackward(List<int[]> group, TrainableWeights weights)
    {
        var batches = group.Select(indices => task.Collate(Split.Train, indices, device)).ToList();
        try
        {
            long lossTokens = Math.Max(1, batches.Sum(b => b.LossTokens));
            double total = 0;
            foreach (var batch in batches)
                total += objective.Backward(batch, (double)batch.LossTokens / lossTokens);
            weights.AfterBackward();
            double norm = weights.ClipGradNorm(o.MaxGradNorm);
            return (total, norm, batches.Sum(b => b.InputTokens));
        }
        finally { foreach (var b in batches) b.Dispose(); }
    }

    static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
