using System.Text.Json.Nodes;
using TuneSharp.Tuning.Pruners;
using TuneSharp.Tuning.Samplers;
using TuneSharp.Tuning.Storage;

namespace TuneSharp.Tuning;

/// <summary>
/// One worker's loop over a study: claim a trial (or take over a dead worker's), sample its values, run it with a
/// heartbeat, prune it on its intermediate values, store the result; until the study's budget is spent. Any number
/// of workers, in this process or others, may run the same study on one storage.
/// </summary>
public sealed class StudyRunner(SearchSpace space, IStudyStorage storage, ITrialObjective objective, StudyOptions options)
{
    /// <summary>Recipe values (with the fixed keys) for conditions; null when the search has no recipe to read.</summary>
    public Func<string, JsonNode?> Lookup { get; init; } = _ => null;

    /// <summary>Creates the study or checks that the stored one was created from the same search.</summary>
    public StudyInfo OpenStudy()
    {
        var config = new JsonObject
        {
            ["search_file"] = space.File,
            ["search"] = SearchText(),
            ["recipe"] = space.Recipe,
            ["metric"] = space.Metric,
            ["trials"] = space.Trials,
        };
        var study = storage.CreateOrLoadStudy(space.StudyName, space.Maximize, config);
        if (study.Config["search"]?.GetValue<string>() is string stored && stored != SearchText())
            throw new UserError($"{space.File}: study '{space.StudyName}' in {storage.Description} was created from a different search file; "
                + "restore that file or choose another study name (--study)");
        if (study.Maximize != space.Maximize)
            throw new UserError($"{space.File}: study '{space.StudyName}' was created to {(study.Maximize ? "maximize" : "minimize")} its metric");
        return study;
    }

    string SearchText() => File.Exists(space.File) ? File.ReadAllText(space.File) : space.File;

    /// <summary>Runs trials until the study has its budget of trials, none is left to take over, or <paramref name="cancel"/>.</summary>
    public IReadOnlyList<TrialRecord> Run(IProgress<StudyEvent>? progress = null, CancellationToken cancel = default)
    {
        var study = OpenStudy();
        var sampler = ISampler.Create(space.Sampler, space.Maximize);
        var pruner = IPruner.Create(space.Pruner);
        int budget = Math.Min(space.Trials, sampler.MaxTrials(space, Lookup) ?? int.MaxValue);
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var trial = storage.ClaimTrial(study.Id, options.Worker, budget, options.HeartbeatTimeout, options.MaxAttempts);
            if (trial is null)
            {
                // Everything is handed out. Wait while other workers still run trials: one may die, and its trial
                // must then be taken over here.
                if (!storage.Trials(study.Id).Any(t => t.State == TrialState.Running)) break;
                cancel.WaitHandle.WaitOne(options.HeartbeatInterval);
                continue;
            }
            RunTrial(study, trial, sampler, pruner, progress, cancel);
        }
        return storage.Trials(study.Id);
    }

    void RunTrial(StudyInfo study, TrialRecord trial, ISampler sampler, IPruner pruner, IProgress<StudyEvent>? progress, CancellationToken cancel)
    {
        var parameters = trial.Params;
        if (parameters is null)
        {
            parameters = sampler.Sample(space, storage.Trials(study.Id), trial.Number, Lookup);
            storage.SetParams(trial.Id, options.Worker, parameters);
        }
        trial = trial with { Params = parameters };
        progress?.Report(new StudyEvent(StudyEventKind.Started, trial, storage.Trials(study.Id), trial.Attempts > 1 ? $"retry {trial.Attempts}" : null));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bool pruned = false, lost = false;
        void Report(int step, double value)
        {
            storage.ReportIntermediate(trial.Id, step, value);
            var all = storage.Trials(study.Id);
            var self = all.Single(t => t.Id == trial.Id);
            progress?.Report(new StudyEvent(StudyEventKind.Intermediate, self, all));
            if (pruner.ShouldPrune(self, all, step, space.Maximize)) { pruned = true; stop.Cancel(); }
        }
        // The heartbeat runs beside the trial; if another worker took the trial over (this one looked dead), stop.
        using var heartbeat = new Timer(_ =>
        {
            try { if (!storage.Heartbeat(trial.Id, options.Worker)) { lost = true; stop.Cancel(); } }
            catch (Exception) { /* a failed heartbeat is retried at the next tick; a long outage shows as a takeover */ }
        }, null, options.HeartbeatInterval, options.HeartbeatInterval);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        TrialState state;
        double? value = null;
        JsonObject attrs;
        try
        {
            var outcome = objective.Run(new TrialContext(trial.Number, parameters, Report, trial.Attempts), stop.Token);
            (state, value, attrs) = (TrialState.Complete, outcome.Value, outcome.Attrs);
            if (!double.IsFinite(outcome.Value)) { state = TrialState.Fail; attrs["error"] = $"objective is {outcome.Value}"; }
        }
        catch (OperationCanceledException) when (pruned || lost)
        {
            state = TrialState.Pruned;
            attrs = [];
        }
        catch (UserError e) when (!cancel.IsCancellationRequested)
        {
            // A trial the recipe rejects (e.g. training diverged to NaN at a high learning rate) fails alone.
            state = TrialState.Fail;
            attrs = new JsonObject { ["error"] = e.Message };
        }
        heartbeat.Dispose();
        if (lost) return; // another worker owns this number now
        attrs["wall_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        attrs["worker"] = options.Worker;
        storage.Finish(trial.Id, options.Worker, state, value, attrs);
        var after = storage.Trials(study.Id);
        progress?.Report(new StudyEvent(StudyEventKind.Finished, after.Single(t => t.Id == trial.Id), after,
            state == TrialState.Fail ? attrs["error"]?.GetValue<string>() : null));
    }
}
