using System.Text.Json.Nodes;

namespace TuneSharp.Tuning;

/// <summary>What a finished trial returns: its objective value and attributes to store (test metrics, run folder).</summary>
public sealed record TrialOutcome(double Value, JsonObject Attrs);

/// <summary>One trial as the objective sees it.</summary>
/// <param name="Number">Trial number in the study.</param>
/// <param name="Params">The sampled recipe values.</param>
/// <param name="Report">
/// Report an intermediate value at a training step. When the pruner decides to stop the trial, this cancels the
/// token the objective was given, so the caller's next cancellation check (the trainer's, right after its
/// evaluation hook) ends the trial.
/// </param>
/// <param name="Attempt">1 on the first run, 2 when a dead worker's trial is retried.</param>
public sealed record TrialContext(int Number, JsonObject Params, Action<int, double> Report, int Attempt);

/// <summary>What a study optimises: runs one trial and returns its value.</summary>
public interface ITrialObjective
{
    /// <summary>Runs the trial; throws OperationCanceledException once <paramref name="cancel"/> is cancelled.</summary>
    TrialOutcome Run(TrialContext trial, CancellationToken cancel);
}

/// <summary>An objective from a function (tests, benchmarks on known functions).</summary>
public sealed class DelegateObjective(Func<TrialContext, CancellationToken, TrialOutcome> run) : ITrialObjective
{
    public TrialOutcome Run(TrialContext trial, CancellationToken cancel) => run(trial, cancel);
}
