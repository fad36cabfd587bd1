using System.Collections.Concurrent;
using TuneSharp.Tuning;
using TuneSharp.Tuning.Storage;

namespace TuneSharp.Tests.Tuning;

/// <summary>
/// Studies run by <see cref="StudyRunner"/> on a cheap objective (the shifted quadratic, one "step" per few
/// milliseconds), against both storages: pruning stops a trial at once, an interrupted study resumes, and two
/// workers share a study without ever running a trial number twice, also when one of them dies halfway.
/// </summary>
public abstract class StudyRunnerContract
{
    protected abstract IStudyStorage Open();

    /// <summary>Steps each trial runs: the value at step s approaches f(x, y) as s grows.</summary>
    const int Steps = 8;

    /// <summary>An objective that reports each step and records how many steps each trial really ran.</summary>
    static DelegateObjective Objective(ConcurrentDictionary<(int Number, int Attempt), int> stepsRun, int sleepMs = 2, Action<TrialContext, int>? atStep = null) =>
        new((trial, cancel) =>
        {
            double f = TestSpaces.ShiftedQuadratic(trial.Params);
            for (int step = 1; step <= Steps; step++)
            {
                cancel.ThrowIfCancellationRequested();
                Thread.Sleep(sleepMs);
                stepsRun.AddOrUpdate((trial.Number, trial.Attempt), 1, (_, n) => n + 1);
                atStep?.Invoke(trial, step);
                trial.Report(step, f + 10.0 / step);
            }
            cancel.ThrowIfCancellationRequested();
            return new TrialOutcome(f, []);
        });

    static StudyOptions Fast(string worker) => new()
    {
        Worker = worker, HeartbeatInterval = TimeSpan.FromMilliseconds(200), HeartbeatTimeout = TimeSpan.FromSeconds(1.5),
    };

    [SkippableFact]
    public void Asha_prunes_trials_and_a_pruned_trial_runs_no_step_past_the_one_it_was_pruned_at()
    {
        using var storage = Open();
        var space = TestSpaces.Quadratic(new SamplerSettings { Name = "tpe", Seed = 3, NStartupTrials = 4 }, 16)
            with { Pruner = new PrunerSettings { Name = "asha", MinResource = 1, ReductionFactor = 3 } };
        var stepsRun = new ConcurrentDictionary<(int, int), int>();
        var trials = new StudyRunner(space, storage, Objective(stepsRun), Fast("w")).Run();
        Assert.Equal(16, trials.Count);
        var pruned = trials.Where(t => t.State == TrialState.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.Contains(trials, t => t.State == TrialState.Complete);
        foreach (var t in pruned)
        {
            Assert.True(t.LastStep < Steps, $"trial {t.Number} was pruned after its last step");
            Assert.Equal(t.LastStep, stepsRun[(t.Number, 1)]); // stopped right after the report that pruned it
        }
        Assert.All(trials.Where(t => t.State == TrialState.Complete), t => Assert.Equal(Steps, stepsRun[(t.Number, 1)]));
    }

    [SkippableFact]
    public void An_interrupted_study_resumes_and_retries_the_trial_that_was_running_once()
    {
        using var storage = Open();
        var space = TestSpaces.Quadratic(new SamplerSettings { Name = "random", Seed = 1 }, 8);
        var stepsRun = new ConcurrentDictionary<(int, int), int>();
        using var kill = new CancellationTokenSource();
        // The first run stops in the middle of trial 3, as if killed: trial 3 stays RUNNING with its heartbeat stopped.
        var first = new StudyRunner(space, storage, Objective(stepsRun, atStep: (t, s) => { if (t.Number == 3 && s == 4) kill.Cancel(); }), Fast("first"));
        Assert.Throws<OperationCanceledException>(() => first.Run(cancel: kill.Token));
        var stored = storage.Trials(storage.FindStudy("quadratic")!.Id);
        Assert.Equal(TrialState.Running, stored.Single(t => t.Number == 3).State);

        Thread.Sleep(1700); // past the heartbeat timeout
        var trials = new StudyRunner(space, storage, Objective(stepsRun), Fast("second")).Run();
        Assert.Equal(Enumerable.Range(0, 8), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        var three = trials.Single(t => t.Number == 3);
        Assert.Equal(2, three.Attempts);
        Assert.Equal(stored.Single(t => t.Number == 3).Params!.ToJsonString(), three.Params!.ToJsonString()); // same values retried
        Assert.All(trials.Where(t => t.Number != 3), t => Assert.Equal(1, t.Attempts));
    }

    [SkippableFact]
    public void Two_workers_on_a_grid_run_every_point_exactly_once()
    {
        using var storage = Open();
        var space = TestSpaces.Of("grid", [new FloatParam("x", null, -2, 2, false, 1, 4), new FloatParam("y", null, 0, 1, false, null, 3)],
            new SamplerSettings { Name = "grid" }, trials: 100);
        var stepsRun = new ConcurrentDictionary<(int, int), int>();
        var workers = new[] { "a", "b" }.Select(w => Task.Run(() => new StudyRunner(space, storage, Objective(stepsRun, sleepMs: 1), Fast(w)).Run())).ToArray();
        Assert.True(Task.WaitAll(workers, TimeSpan.FromMinutes(2)), "workers did not finish");
        var trials = storage.Trials(storage.FindStudy("grid")!.Id);
        Assert.Equal(15, trials.Count); // 5 x values × 3 y values; the budget of 100 is capped at the grid's size
        Assert.Equal(15, trials.Select(t => t.Params!.ToJsonString()).Distinct().Count());
        // Which worker ran which points depends on scheduling (one may finish the grid before the other starts): not asserted.
    }

    [SkippableFact]
    public void Two_workers_finish_a_16_trial_study_with_16_distinct_trials_even_when_one_dies_halfway()
    {
        using var storage = Open();
        var space = TestSpaces.Quadratic(new SamplerSettings { Name = "tpe", Seed = 5, NStartupTrials = 5 }, 16);
        var stepsRun = new ConcurrentDictionary<(int, int), int>();
        using var killA = new CancellationTokenSource();
        int doneByA = 0;
        var ranBy = new ConcurrentBag<(int Number, string Worker)>();
        var a = new StudyRunner(space, storage, Objective(stepsRun, sleepMs: 15, atStep: (t, s) =>
        {
            ranBy.Add((t.Number, "a"));
            if (s == 1 && Volatile.Read(ref doneByA) >= 3) killA.Cancel(); // dies inside its 4th trial
            if (s == Steps) Interlocked.Increment(ref doneByA);
        }), Fast("a"));
        var b = new StudyRunner(space, storage, Objective(stepsRun, sleepMs: 15, atStep: (t, _) => ranBy.Add((t.Number, "b"))), Fast("b"));
        var workerA = Task.Run(() => Assert.Throws<OperationCanceledException>(() => a.Run(cancel: killA.Token)));
        var workerB = Task.Run(() => b.Run());
        Assert.True(Task.WaitAll([workerA, workerB], TimeSpan.FromMinutes(3)), "workers did not finish");

        var trials = storage.Trials(storage.FindStudy("quadratic")!.Id);
        Assert.Equal(Enumerable.Range(0, 16), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(16, trials.Select(t => t.Params!.ToJsonString()).Distinct().Count());
        // Both worked; the trial a died in was taken over by b with the same number (attempt 2).
        Assert.Contains(ranBy, r => r.Worker == "a");
        Assert.Contains(ranBy, r => r.Worker == "b");
        var retried = Assert.Single(trials, t => t.Attempts == 2);
        Assert.Contains(ranBy, r => r.Number == retried.Number && r.Worker == "a");
        Assert.StartsWith("b", retried.Attrs["worker"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class SqliteStudyRunnerTests : StudyRunnerContract, IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-runner-").FullName;

    protected override IStudyStorage Open() => new SqliteStudyStorage(Path.Combine(dir, "study.db"));

    public void Dispose() => Directory.Delete(dir, true);
}

public sealed class PostgresStudyRunnerTests : StudyRunnerContract
{
    protected override IStudyStorage Open() => new PostgresStudyStorage(PostgresTestDatabase.CreateDatabase());
}
