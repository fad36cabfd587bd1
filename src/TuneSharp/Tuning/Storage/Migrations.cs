namespace TuneSharp.Tuning.Storage;

/// <summary>
/// The storage schema as numbered steps. A database records the last step applied (table schema_version) and
/// each open applies the missing ones in order, inside one transaction, so an older study.db is upgraded in place
/// and two workers starting together never both migrate. Never edit a released step: add one.
/// {id}, {real} and {text} stand for the dialect's auto-increment key, float and text column types.
/// </summary>
public static class Migrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: studies, trials, intermediate values.
        """
        CREATE TABLE studies (
            id {id},
            name {text} NOT NULL UNIQUE,
            direction {text} NOT NULL,
            config {text} NOT NULL,
            created_at {real} NOT NULL);
        CREATE TABLE trials (
            id {id},
            study_id BIGINT NOT NULL REFERENCES studies(id),
            number INTEGER NOT NULL,
            state {text} NOT NULL,
            params {text},
            value {real},
            attrs {text} NOT NULL,
            worker {text},
            attempts INTEGER NOT NULL,
            started_at {real},
            finished_at {real},
            heartbeat_at {real},
            UNIQUE (study_id, number));
        CREATE TABLE intermediate_values (
            trial_id BIGINT NOT NULL REFERENCES trials(id),
            step INTEGER NOT NULL,
            value {real} NOT NULL,
            PRIMARY KEY (trial_id, step));
        """,
        // 2: workers look for RUNNING trials of a study on every claim.
        "CREATE INDEX trials_study_state ON trials (study_id, state);",
    ];

    /// <summary>The version a fully migrated database has.</summary>
    public static int Latest => Steps.Count;
}
