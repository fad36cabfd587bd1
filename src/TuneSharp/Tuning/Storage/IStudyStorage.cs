using System.Text.Json.Nodes;

namespace TuneSharp.Tuning.Storage;

/// <summary>
/// Where studies and trials live. Two implementations share one contract and one test suite: SQLite (a file per
/// study, the default) and PostgreSQL (several workers on one study). Every method is safe to call from several
/// processes at once: trial numbers are handed out under a lock, so no two workers ever run the same number (and
/// so the same grid point), and a trial whose worker stopped heartbeating is taken over.
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>A short description for messages ("sqlite runs/x/study.db").</summary>
    string Description { get; }

    /// <summary>The schema version this storage is migrated to.</summary>
    int SchemaVersion();

    /// <summary>Creates the study, or returns the existing one of that name.</summary>
    StudyInfo CreateOrLoadStudy(string name, bool maximize, JsonObject config);

    /// <summary>The study of that name, or null.</summary>
    StudyInfo? FindStudy(string name);

    /// <summary>Names of all stored studies.</summary>
    IReadOnlyList<string> StudyNames();

    /// <summary>
    /// Hands <paramref name="worker"/> a trial to run: first a RUNNING trial whose worker is dead (heartbeat older than
    /// <paramref name="heartbeatTimeout"/>, or a process of this host that no longer exists), retried with the same
    /// number and parameters while it has been attempted fewer than <paramref name="maxAttempts"/> times and marked
    /// failed otherwise; else a new trial numbered after the last, while the study has fewer than
    /// <paramref name="maxTrials"/>. Null when there is nothing to hand out.
    /// </summary>
    TrialRecord? ClaimTrial(long studyId, string worker, int maxTrials, TimeSpan heartbeatTimeout, int maxAttempts);

    /// <summary>Stores the sampled parameters of a trial the worker owns.</summary>
    void SetParams(long trialId, string worker, JsonObject parameters);

    /// <summary>Records a validation value at a training step (replacing one at the same step).</summary>
    void ReportIntermediate(long trialId, int step, double value);

    /// <summary>Refreshes the trial's heartbeat; false when the worker no longer owns the trial (it was taken over).</summary>
    bool Heartbeat(long trialId, string worker);

    /// <summary>Finishes a trial the worker still owns; false (and nothing written) when it was taken over.</summary>
    bool Finish(long trialId, string worker, TrialState state, double? value, JsonObject attrs);

    /// <summary>All trials of the study, by number, with their intermediate values.</summary>
    IReadOnlyList<TrialRecord> Trials(long studyId);
}
