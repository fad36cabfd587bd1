namespace TuneSharp.Tuning;

/// <summary>Which sampler proposes the next trial, and its knobs (Optuna's names and defaults).</summary>
public sealed record SamplerSettings
{
    /// <summary>random | grid | tpe.</summary>
    public string Name { get; init; } = "tpe";
    /// <summary>Seed of the study's proposals; each trial draws from (seed, trial number), so workers agree.</summary>
    public long Seed { get; init; }
    /// <summary>TPE: random trials before the Parzen estimators take over.</summary>
    public int NStartupTrials { get; init; } = 10;
    /// <summary>TPE: candidates drawn from l(x) per parameter; the best l(x)/g(x) wins.</summary>
    public int NEiCandidates { get; init; } = 24;
    /// <summary>Grid: points per float parameter without a step.</summary>
    public int GridPoints { get; init; } = 4;

    public static readonly string[] Names = ["random", "grid", "tpe"];
}

/// <summary>Which pruner judges a running trial's intermediate values, and its knobs.</summary>
public sealed record PrunerSettings
{
    /// <summary>none | median | asha.</summary>
    public string Name { get; init; } = "asha";
    /// <summary>Median: completed trials needed before any trial is pruned.</summary>
    public int NStartupTrials { get; init; } = 5;
    /// <summary>Median: steps before a trial can be pruned.</summary>
    public int NWarmupSteps { get; init; }
    /// <summary>ASHA: training steps at the first rung.</summary>
    public int MinResource { get; init; } = 1;
    /// <summary>ASHA: a rung promotes the best 1/reduction_factor of the trials that reached it.</summary>
    public int ReductionFactor { get; init; } = 3;

    public static readonly string[] Names = ["none", "median", "asha"];
}
