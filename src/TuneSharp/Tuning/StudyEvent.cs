namespace TuneSharp.Tuning;

/// <summary>What happened to a trial, for live displays.</summary>
public enum StudyEventKind { Started, Intermediate, Finished }

/// <summary>A progress report of a study: the trial as it stands now, and the study's trials after the event.</summary>
public sealed record StudyEvent(StudyEventKind Kind, TrialRecord Trial, IReadOnlyList<TrialRecord> Trials, string? Message = null);
