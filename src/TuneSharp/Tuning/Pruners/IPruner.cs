namespace TuneSharp.Tuning.Pruners;

/// <summary>
/// Decides, after a trial reports an intermediate value, whether to stop it. Pruners keep no state of their own:
/// everything they need is in storage (every trial's intermediate values), so any worker judges any trial alike
/// and a resumed study prunes as it would have.
/// </summary>
public interface IPruner
{
    /// <param name="trial">The running trial, with the value just reported at <paramref name="step"/>.</param>
    /// <param name="all">Every trial of the study (including <paramref name="trial"/>).</param>
    /// <param name="step">The training step of the value just reported.</param>
    /// <param name="maximize">True when larger values are better.</param>
    bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> all, int step, bool maximize);

    public static IPruner Create(PrunerSettings s) => s.Name switch
    {
        "none" => new NoPruner(),
        "median" => new MedianPruner(s.NStartupTrials, s.NWarmupSteps),
        "asha" => new AshaPruner(s.MinResource, s.ReductionFactor),
        _ => throw new UserError($"pruner '{s.Name}' must be {string.Join(", ", PrunerSettings.Names)}"),
    };
}

/// <summary>Never prunes.</summary>
public sealed class NoPruner : IPruner
{
    public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> all, int step, bool maximize) => false;
}
