namespace TuneSharp.Training;

/// <summary>
/// Hyperparameters of a training run. Names follow Hugging Face TrainingArguments where one exists
/// (learning_rate, per_device_train_batch_size → batch_size, gradient_accumulation_steps, ...).
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 3;
    /// <summary>Stop after this many optimizer steps (0 = run all epochs).</summary>
    public int MaxSteps { get; init; }
    public int BatchSize { get; init; } = 8;
    public int EvalBatchSize { get; init; } = 16;
    public int GradientAccumulationSteps { get; init; } = 1;
    public double LearningRate { get; init; } = 5e-5;
    /// <summary>"adamw" (TorchSharp's, per tensor), "adamw_flat" (<see cref="FlatAdamW"/>: one buffer, same arithmetic) or "sgd".</summary>
    public string Optimizer { get; init; } = "adamw";
    public double WeightDecay { get; init; }
    public double AdamBeta1 { get; init; } = 0.9;
    public double AdamBeta2 { get; init; } = 0.999;
    public double AdamEpsilon { get; init; } = 1e-8;
    public double Momentum { get; init; }
    /// <summary>"constant", "linear" or "cosine" (each after a linear warmup).</summary>
    public string LrScheduler { get; init; } = "linear";
    public int WarmupSteps { get; init; }
    /// <summary>Warmup as a fraction of the total steps (used when WarmupSteps is 0).</summary>
    public double WarmupRatio { get; init; }
    /// <summary>Clip the global gradient norm to this (0 = off).</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    public long Seed { get; init; } = 42;
    /// <summary>Batch examples of similar length together (HF group_by_length: mega-batches of 50 × batch size, sorted).</summary>
    public bool GroupByLength { get; init; }
    /// <summary>Evaluate every N optimizer steps; 0 = at the end of each epoch.</summary>
    public int EvalSteps { get; init; }
    /// <summary>
    /// When to evaluate during training (Hugging Face's eval_strategy): "steps" every <see cref="EvalSteps"/>, "epoch" at
    /// each epoch's end, "no" never (the recipe still evaluates the final model). Null: steps when EvalSteps > 0, else epoch.
    /// </summary>
    public string? EvalStrategy { get; init; }
    /// <summary>
    /// ULMFiT's discriminative learning rates: each layer group below the top trains at the rate of the one above
    /// divided by this (2.6 in ULMFiT); 1 = one rate for all (<see cref="LayerGroups"/>).
    /// </summary>
    public double LayerwiseLrDecay { get; init; } = 1.0;
    /// <summary>ULMFiT's gradual unfreezing: start with the top group trainable, open one more group per epoch (or every <see cref="UnfreezeEverySteps"/>).</summary>
    public bool GradualUnfreezing { get; init; }
    /// <summary>Gradual unfreezing period in optimizer steps; 0 = one group per epoch.</summary>
    public int UnfreezeEverySteps { get; init; }
    /// <summary>"no": never write checkpoints (benchmarks, throwaway runs); null: as <see cref="SaveSteps"/> says.</summary>
    public string? SaveStrategy { get; init; }
    /// <summary>Save a checkpoint every N steps; 0 = whenever evaluating.</summary>
    public int SaveSteps { get; init; }
    /// <summary>Checkpoints kept besides the best one.</summary>
    public int SaveTotalLimit { get; init; } = 2;
    /// <summary>Log the training loss every N steps.</summary>
    public int LoggingSteps { get; init; } = 10;
    /// <summary>Metric that picks the best checkpoint and drives early stopping, e.g. "loss", "accuracy".</summary>
    public string MetricForBestModel { get; init; } = "loss";
    /// <summary>True when a larger metric is better (accuracy); false for loss.</summary>
    public bool GreaterIsBetter { get; init; }
    /// <summary>Stop after this many evaluations without improvement (0 = no early stopping).</summary>
    public int EarlyStoppingPatience { get; init; }
    /// <summary>An improvement smaller than this does not count.</summary>
    public double EarlyStoppingThreshold { get; init; }
    /// <summary>Restore the best checkpoint's weights at the end.</summary>
    public bool LoadBestModelAtEnd { get; init; } = true;
    /// <summary>Stop the run after this many non-finite steps in a row.</summary>
    public int MaxNonFiniteSteps { get; init; } = 5;
    /// <summary>bf16 weights and activations on CUDA (see docs/ARCHITECTURE.md); ignored on CPU.</summary>
    public bool Bf16 { get; init; }
    /// <summary>"fp32" or "bf16" (recipe key <c>precision</c>; "bf16" is the same as <see cref="Bf16"/>).</summary>
    public string Precision { get; init; } = "fp32";
    /// <summary>bf16 weights and activations with fp32 masters, asked for by either key.</summary>
    public bool MixedBf16 => Bf16 || Precision == "bf16";

    /// <summary>Range checks; a bad value is a user error naming the key.</summary>
    public void Validate()
    {
        static void Check(bool ok, string key, object value, string rule)
        {
            if (!ok) throw new UserError($"training.{key}: {rule}, got {value}");
        }
        Check(Epochs >= 0, "epochs", Epochs, "must be >= 0");
        Check(MaxSteps >= 0, "max_steps", MaxSteps, "must be >= 0");
        Check(Epochs > 0 || MaxSteps > 0, "epochs", Epochs, "epochs or max_steps must be > 0");
        Check(BatchSize > 0, "batch_size", BatchSize, "must be > 0");
        Check(EvalBatchSize > 0, "eval_batch_size", EvalBatchSize, "must be > 0");
        Check(GradientAccumulationSteps > 0, "gradient_accumulation_steps", GradientAccumulationSteps, "must be > 0");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", LearningRate, "must be > 0");
        Check(Optimizer is "adamw" or "adamw_flat" or "sgd", "optimizer", Optimizer, "must be adamw, adamw_flat or sgd");
        Check(LrScheduler is "constant" or "linear" or "cosine", "lr_scheduler", LrScheduler, "must be constant, linear or cosine");
        Check(WeightDecay >= 0, "weight_decay", WeightDecay, "must be >= 0");
        Check(WarmupSteps >= 0, "warmup_steps", WarmupSteps, "must be >= 0");
        Check(WarmupRatio is >= 0 and < 1, "warmup_ratio", WarmupRatio, "must be in [0, 1)");
        Check(MaxGradNorm >= 0, "max_grad_norm", MaxGradNorm, "must be >= 0");
        Check(EvalSteps >= 0, "eval_steps", EvalSteps, "must be >= 0");
        Check(EvalStrategy is null or "no" or "epoch" or "steps", "eval_strategy", EvalStrategy ?? "", "must be no, epoch or steps");
        Check(EvalStrategy != "steps" || EvalSteps > 0, "eval_steps", EvalSteps, "must be > 0 with eval_strategy steps");
        Check(SaveSteps >= 0, "save_steps", SaveSteps, "must be >= 0");
        Check(LayerwiseLrDecay >= 1 && double.IsFinite(LayerwiseLrDecay), "layerwise_lr_decay", LayerwiseLrDecay, "must be >= 1 (the divisor per layer group; 1 = off)");
        Check(UnfreezeEverySteps >= 0, "unfreeze_every_steps", UnfreezeEverySteps, "must be >= 0");
        Check(!(GradualUnfreezing && Optimizer == "adamw_flat"), "gradual_unfreezing", GradualUnfreezing, "cannot be combined with optimizer adamw_flat (its one buffer steps every weight; use adamw)");
        Check(Precision is "fp32" or "bf16", "precision", Precision, "must be fp32 or bf16");
        Check(SaveStrategy is null or "no" or "steps", "save_strategy", SaveStrategy ?? "", "must be no or steps");
        Check(SaveTotalLimit >= 1, "save_total_limit", SaveTotalLimit, "must be >= 1");
        Check(LoggingSteps >= 1, "logging_steps", LoggingSteps, "must be >= 1");
        Check(EarlyStoppingPatience >= 0, "early_stopping_patience", EarlyStoppingPatience, "must be >= 0");
        Check(MaxNonFiniteSteps >= 1, "max_non_finite_steps", MaxNonFiniteSteps, "must be >= 1");
    }
}
