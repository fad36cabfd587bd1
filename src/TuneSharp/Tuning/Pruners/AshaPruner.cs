namespace TuneSharp.Tuning.Pruners;

/// <summary>
/// Asynchronous successive halving (Li et al. 2020, as Optuna's SuccessiveHalvingPruner). Rung k sits at
/// <c>minResource · reductionFactor^k</c> training steps. When a trial first reports at or past a rung, its value
/// there joins that rung's competitors (every trial, running or finished, that reached it); the trial is promoted,
/// i.e. keeps running, only while it is in the top 1/reductionFactor of them. "Asynchronous": nobody waits for a
/// rung to fill; the first trials at a rung compete only with those already there, and while fewer than
/// reductionFactor have arrived a trial is promoted only if it is the best so far.
/// A trial's value at a rung is its first intermediate value at or past the rung's step, read from storage.
/// </summary>
public sealed class AshaPruner(int minResource, int reductionFactor) : IPruner
{
    public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> all, int step, bool maximize)
    {
        if (!trial.Intermediate.TryGetValue(step, out double value)) return false;
        if (!double.IsFinite(value)) return true;
        int previousStep = trial.Intermediate.Keys.Where(s => s < step).DefaultIfEmpty(-1).Max();
        for (int rung = 0; ; rung++)
        {
            long rungStep = RungStep(rung);
            if (step < rungStep) return false;
            if (previousStep >= rungStep) continue; // this rung was judged at an earlier report
            var competing = all.Where(t => t.Id != trial.Id).Select(t => ValueAt(t, rungStep)).Where(v => v is not null).Select(v => v!.Value)
                .Append(value).ToList();
            if (!Promotable(value, competing, maximize)) return true;
        }
    }

    long RungStep(int rung) => (long)(minResource * Math.Pow(reductionFactor, rung));

    /// <summary>The trial's first intermediate value at or past <paramref name="rungStep"/>; null when it never got there.</summary>
    static double? ValueAt(TrialRecord t, long rungStep)
    {
        foreach (var (s, v) in t.Intermediate.OrderBy(kv => kv.Key))
            if (s >= rungStep) return v;
        return null;
    }

    /// <summary>In the top len/η of the competitors (at least the very best), ties kept.</summary>
    bool Promotable(double value, List<double> competing, bool maximize)
    {
        var finite = competing.Where(double.IsFinite).Order().ToList();
        int index = Math.Min(Math.Max(competing.Count / reductionFactor - 1, 0), finite.Count - 1);
        return maximize ? value >= finite[^(index + 1)] : value <= finite[index];
    }
}
