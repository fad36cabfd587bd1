using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TuneSharp.Tuning;
using TuneSharp.Tuning.Storage;

namespace TuneSharp.Tests.Tuning;

/// <summary>
/// The storage contract, run against both implementations (<see cref="SqliteStudyStorageTests"/>,
/// <see cref="PostgresStudyStorageTests"/>): the same cases, so the two never drift apart.
/// </summary>
public abstract class StudyStorageContract
{
    /// <summary>A fresh, empty storage (each call opens a new connection set on the same database).</summary>
    protected abstract IStudyStorage Open();

    static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [SkippableFact]
    public void Migrates_to_the_latest_schema_once_and_reopens_without_migrating_again()
    {
        using var a = Open();
        Assert.Equal(Migrations.Latest, a.SchemaVersion());
        var study = a.CreateOrLoadStudy("s", true, new JsonObject { ["search"] = "x" });
        a.ClaimTrial(study.Id, "w", 5, Long, 2);
        using var b = Reopen();
        Assert.Equal(Migrations.Latest, b.SchemaVersion());
        Assert.Single(b.Trials(b.FindStudy("s")!.Id));
    }

    /// <summary>Another handle on the same database (a second process would open one).</summary>
    protected abstract IStudyStorage Reopen();

    [SkippableFact]
    public void A_study_is_created_once_and_keeps_its_direction_and_config()
    {
        using var s = Open();
        var first = s.CreateOrLoadStudy("spam", true, new JsonObject { ["search"] = "a: 1" });
        var again = s.CreateOrLoadStudy("spam", false, new JsonObject { ["search"] = "other" });
        Assert.Equal(first.Id, again.Id);
        Assert.True(again.Maximize);
        Assert.Equal("a: 1", again.Config["search"]!.GetValue<string>());
        Assert.Null(s.FindStudy("nope"));
        Assert.Equal(["spam"], s.StudyNames());
    }

    [SkippableFact]
    public void Trials_are_numbered_in_order_up_to_the_budget_and_keep_params_values_and_intermediates()
    {
        using var s = Open();
        var study = s.CreateOrLoadStudy("s", false, []);
        var numbers = new List<int>();
        while (s.ClaimTrial(study.Id, "w", 3, Long, 2) is { } t)
        {
            numbers.Add(t.Number);
            s.SetParams(t.Id, "w", new JsonObject { ["training.learning_rate"] = 0.001 * (t.Number + 1) });
            s.ReportIntermediate(t.Id, 6, 0.5);
            s.ReportIntermediate(t.Id, 6, 0.25); // the same step again replaces the value
            s.ReportIntermediate(t.Id, 12, 0.125);
            Assert.True(s.Finish(t.Id, "w", t.Number == 1 ? TrialState.Pruned : TrialState.Complete, t.Number == 1 ? null : 1.5 + t.Number, new JsonObject { ["note"] = "n" }));
        }
        Assert.Equal([0, 1, 2], numbers);
        var trials = s.Trials(study.Id);
        Assert.Equal([TrialState.Complete, TrialState.Pruned, TrialState.Complete], trials.Select(t => t.State).ToArray());
        Assert.Equal(0.003, trials[2].Params!["training.learning_rate"]!.GetValue<double>());
        Assert.Equal(3.5, trials[2].Value);
        Assert.Null(trials[1].Value);
        Assert.Equal(new Dictionary<int, double> { [6] = 0.25, [12] = 0.125 }, trials[0].Intermediate);
        Assert.Equal("n", trials[0].Attrs["note"]!.GetValue<string>());
        Assert.All(trials, t => Assert.NotNull(t.FinishedAt));
    }

    [SkippableFact]
    public void Concurrent_claims_from_many_connections_never_hand_out_a_number_twice()
    {
        using var s = Open();
        var study = s.CreateOrLoadStudy("race", true, []);
        var claimed = new ConcurrentBag<int>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
        {
            using var mine = Reopen();
            while (mine.ClaimTrial(study.Id, $"w{w}", 40, Long, 2) is { } t)
            {
                claimed.Add(t.Number);
                mine.Finish(t.Id, $"w{w}", TrialState.Complete, t.Number, []);
            }
        });
        Assert.Equal(Enumerable.Range(0, 40), claimed.Order());
        Assert.Equal(40, s.Trials(study.Id).Count);
    }

    [SkippableFact]
    public void A_dead_workers_trial_is_retried_once_with_its_number_and_params_then_failed()
    {
        using var s = Open();
        var study = s.CreateOrLoadStudy("dead", true, []);
        var t = s.ClaimTrial(study.Id, "other-host:1:a", 5, Long, 2)!;
        s.SetParams(t.Id, "other-host:1:a", new JsonObject { ["x"] = 1.5 });
        Thread.Sleep(1200);

        // Alive as far as a 1-hour timeout can tell: a new trial is handed out instead.
        var fresh = s.ClaimTrial(study.Id, "b", 5, Long, 2)!;
        Assert.Equal(1, fresh.Number);
        Assert.True(s.Finish(fresh.Id, "b", TrialState.Complete, 1, []));

        // Past a 1-second timeout: worker b takes trial 0 over, same number and params, attempt 2.
        var retried = s.ClaimTrial(study.Id, "b", 5, TimeSpan.FromSeconds(1), 2)!;
        Assert.Equal((0, 2, "b"), (retried.Number, retried.Attempts, retried.Worker));
        Assert.Equal(1.5, retried.Params!["x"]!.GetValue<double>());
        // The first worker, back from the dead, can neither heartbeat nor finish it.
        Assert.False(s.Heartbeat(t.Id, "other-host:1:a"));
        Assert.False(s.Finish(t.Id, "other-host:1:a", TrialState.Complete, 9, []));
        Assert.True(s.Heartbeat(t.Id, "b"));

        // b dies too: after its second attempt the trial is failed, and the next claim is a new number.
        Thread.Sleep(1200);
        var next = s.ClaimTrial(study.Id, "c", 5, TimeSpan.FromSeconds(1), 2)!;
        Assert.Equal(2, next.Number);
        var zero = s.Trials(study.Id).Single(x => x.Number == 0);
        Assert.Equal(TrialState.Fail, zero.State);
        Assert.Contains("heartbeat", zero.Attrs["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_trial_of_a_process_of_this_host_that_no_longer_exists_is_taken_over_at_once()
    {
        using var s = Open();
        var study = s.CreateOrLoadStudy("gone", true, []);
        using var p = System.Diagnostics.Process.Start("true")!;
        p.WaitForExit();
        var dead = $"{Environment.MachineName}:{p.Id}:x";
        var t = s.ClaimTrial(study.Id, dead, 5, Long, 2)!;
        var retried = s.ClaimTrial(study.Id, "me", 5, Long, 2)!;
        Assert.Equal((t.Number, 2), (retried.Number, retried.Attempts));
    }
}

public sealed class SqliteStudyStorageTests : StudyStorageContract, IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-study-").FullName;
    string Db => Path.Combine(dir, "study.db");

    protected override IStudyStorage Open() => new SqliteStudyStorage(Db);
    protected override IStudyStorage Reopen() => StudyStorage.Open("sqlite:///" + Db);

    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void A_database_at_an_older_schema_version_is_migrated_in_place_keeping_its_studies()
    {
        // A study.db as the first schema version left it: step 1 only, version 1, one study.
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db}"))
        {
            c.Open();
            var sql = Migrations.Steps[0].Replace("{id}", "INTEGER PRIMARY KEY AUTOINCREMENT", StringComparison.Ordinal)
                .Replace("{real}", "REAL", StringComparison.Ordinal).Replace("{text}", "TEXT", StringComparison.Ordinal)
                + "; CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
                + " INSERT INTO studies (name, direction, config, created_at) VALUES ('old', 'maximize', '{}', 0);";
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
        using var s = Open();
        Assert.Equal(Migrations.Latest, s.SchemaVersion());
        Assert.NotNull(s.FindStudy("old"));
        using var c2 = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db}");
        c2.Open();
        using var q = c2.CreateCommand();
        q.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'trials_study_state'";
        Assert.Equal(1L, q.ExecuteScalar());
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_user_error()
    {
        File.WriteAllText(Db, "this is not SQLite, just text long enough to have a header of sorts..........................");
        var e = Assert.Throws<UserError>(() => new SqliteStudyStorage(Db));
        Assert.Contains("not a study database", e.Message, StringComparison.Ordinal);
    }
}

public sealed class PostgresStudyStorageTests : StudyStorageContract
{
    string? url;
    string Url => url ??= PostgresTestDatabase.CreateDatabase();

    protected override IStudyStorage Open() => new PostgresStudyStorage(Url);
    protected override IStudyStorage Reopen() => StudyStorage.Open(Url);

    [Fact]
    public void A_url_becomes_npgsql_settings_with_a_socket_folder_and_the_password_is_redacted_in_messages()
    {
        var b = PostgresUrl.Parse("postgresql://tune:s%40cret@db.local:6543/studies?sslmode=disable");
        Assert.Equal(("db.local", 6543, "studies", "tune", "s@cret"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        var socket = PostgresUrl.Parse("postgresql://postgres@localhost/postgres?host=/tmp/pg");
        Assert.Equal("/tmp/pg", socket.Host);
        Assert.Equal("postgresql://tune:***@db.local/x", PostgresUrl.Redact("postgresql://tune:secret@db.local/x"));
        Assert.Throws<UserError>(() => PostgresUrl.Parse("postgresql://h/db?colour=red"));
    }
}
