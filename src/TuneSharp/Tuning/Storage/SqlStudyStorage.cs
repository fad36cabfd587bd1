using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;

namespace TuneSharp.Tuning.Storage;

/// <summary>
/// The SQL both storages share; a subclass supplies the connection, the column types, how a claim locks the
/// study (SQLite: BEGIN IMMEDIATE, one writer at a time; PostgreSQL: the study row FOR UPDATE) and how a
/// migration keeps other processes out.
/// </summary>
public abstract class SqlStudyStorage : IStudyStorage
{
    public abstract string Description { get; }

    /// <summary>A new open connection.</summary>
    protected abstract DbConnection Open();

    /// <summary>Starts a transaction that no other writer can interleave with for this study's trial numbers.</summary>
    protected abstract DbTransaction BeginExclusive(DbConnection connection, long? studyId);

    /// <summary>Column types: auto-increment primary key, float, text.</summary>
    protected abstract (string Id, string Real, string Text) Types { get; }

    /// <summary>Appended to the SELECT of RUNNING trials in a claim (PostgreSQL: skip rows another claim holds).</summary>
    protected virtual string LockRows => "";

    /// <summary>Applies the missing migration steps; call once from the constructor.</summary>
    protected void Migrate()
    {
        using var c = Open();
        using var tx = BeginExclusive(c, null);
        Exec(c, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        int version = Convert.ToInt32(Scalar(c, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        if (version > Migrations.Latest)
            throw new UserError($"{Description}: schema version {version} is newer than this TuneSharp knows ({Migrations.Latest}); update TuneSharp");
        for (int v = version; v < Migrations.Latest; v++)
        {
            var (id, real, text) = Types;
            foreach (var statement in Migrations.Steps[v].Replace("{id}", id, StringComparison.Ordinal).Replace("{real}", real, StringComparison.Ordinal)
                         .Replace("{text}", text, StringComparison.Ordinal).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                Exec(c, tx, statement);
            Exec(c, tx, "DELETE FROM schema_version");
            Exec(c, tx, "INSERT INTO schema_version (version) VALUES (@v)", ("v", v + 1));
        }
        tx.Commit();
    }

    public int SchemaVersion()
    {
        using var c = Open();
        return Convert.ToInt32(Scalar(c, null, "SELECT MAX(version) FROM schema_version"), CultureInfo.InvariantCulture);
    }

    public StudyInfo CreateOrLoadStudy(string name, bool maximize, JsonObject config)
    {
        using var c = Open();
        using var tx = BeginExclusive(c, null);
        var existing = FindStudy(c, tx, name);
        if (existing is null)
        {
            Exec(c, tx, "INSERT INTO studies (name, direction, config, created_at) VALUES (@n, @d, @c, @t)",
                ("n", name), ("d", maximize ? "maximize" : "minimize"), ("c", config.ToJsonString()), ("t", Clock.Now()));
            existing = FindStudy(c, tx, name)!;
        }
        tx.Commit();
        return existing;
    }

    public StudyInfo? FindStudy(string name)
    {
        using var c = Open();
        return FindStudy(c, null, name);
    }

    static StudyInfo? FindStudy(DbConnection c, DbTransaction? tx, string name)
    {
        using var cmd = Command(c, tx, "SELECT id, direction, config FROM studies WHERE name = @n", ("n", name));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return new StudyInfo(r.GetInt64(0), name, r.GetString(1) == "maximize", (JsonObject)JsonNode.Parse(r.GetString(2))!);
    }

    public IReadOnlyList<string> StudyNames()
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT name FROM studies ORDER BY id");
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }

    public TrialRecord? ClaimTrial(long studyId, string worker, int maxTrials, TimeSpan heartbeatTimeout, int maxAttempts)
    {
        using var c = Open();
        using var tx = BeginExclusive(c, studyId);
        double now = Clock.Now();

        // A trial whose worker died: retried with the same number and parameters, or failed after maxAttempts.
        var running = new List<(long Id, string? Worker, double? Heartbeat, int Attempts)>();
        using (var cmd = Command(c, tx, "SELECT id, worker, heartbeat_at, attempts FROM trials WHERE study_id = @s AND state = 'RUNNING' ORDER BY number" + LockRows, ("s", studyId)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                running.Add((r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetDouble(2), r.GetInt32(3)));
        foreach (var (id, owner, heartbeat, attempts) in running)
        {
            bool dead = heartbeat is null || now - heartbeat.Value > heartbeatTimeout.TotalSeconds || WorkerId.IsDeadLocalProcess(owner);
            if (!dead) continue;
            if (attempts < maxAttempts)
            {
                Exec(c, tx, "UPDATE trials SET worker = @w, attempts = attempts + 1, heartbeat_at = @t, started_at = @t WHERE id = @id",
                    ("w", worker), ("t", now), ("id", id));
                tx.Commit();
                return Trials(c, null, studyId, id).Single();
            }
            var attrs = new JsonObject { ["error"] = $"worker {owner} stopped (heartbeat lost) on attempt {attempts}; not retried again" };
            Exec(c, tx, "UPDATE trials SET state = 'FAIL', finished_at = @t, attrs = @a WHERE id = @id", ("t", now), ("a", attrs.ToJsonString()), ("id", id));
        }

        using (var cmd = Command(c, tx, "SELECT COUNT(*), COALESCE(MAX(number), -1) FROM trials WHERE study_id = @s", ("s", studyId)))
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            long count = r.GetInt64(0);
            int next = Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture) + 1;
            r.Close();
            if (count >= maxTrials) { tx.Commit(); return null; }
            Exec(c, tx, "INSERT INTO trials (study_id, number, state, attrs, worker, attempts, started_at, heartbeat_at) VALUES (@s, @n, 'RUNNING', '{}', @w, 1, @t, @t)",
                ("s", studyId), ("n", next), ("w", worker), ("t", now));
            long newId = Convert.ToInt64(Scalar(c, tx, "SELECT id FROM trials WHERE study_id = @s AND number = @n", ("s", studyId), ("n", next)), CultureInfo.InvariantCulture);
            tx.Commit();
            return Trials(c, null, studyId, newId).Single();
        }
    }

    public void SetParams(long trialId, string worker, JsonObject parameters)
    {
        using var c = Open();
        Exec(c, null, "UPDATE trials SET params = @p WHERE id = @id AND worker = @w", ("p", parameters.ToJsonString()), ("id", trialId), ("w", worker));
    }

    public void ReportIntermediate(long trialId, int step, double value)
    {
        using var c = Open();
        Exec(c, null, "INSERT INTO intermediate_values (trial_id, step, value) VALUES (@id, @s, @v) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value",
            ("id", trialId), ("s", step), ("v", value));
    }

    public bool Heartbeat(long trialId, string worker)
    {
        using var c = Open();
        return Exec(c, null, "UPDATE trials SET heartbeat_at = @t WHERE id = @id AND worker = @w AND state = 'RUNNING'",
            ("t", Clock.Now()), ("id", trialId), ("w", worker)) == 1;
    }

    public bool Finish(long trialId, string worker, TrialState state, double? value, JsonObject attrs)
    {
        using var c = Open();
        return Exec(c, null, "UPDATE trials SET state = @st, value = @v, attrs = @a, finished_at = @t WHERE id = @id AND worker = @w AND state = 'RUNNING'",
            ("st", StateName(state)), ("v", value is double d && double.IsFinite(d) ? d : DBNull.Value), ("a", attrs.ToJsonString()),
            ("t", Clock.Now()), ("id", trialId), ("w", worker)) == 1;
    }

    public IReadOnlyList<TrialRecord> Trials(long studyId)
    {
        using var c = Open();
        return Trials(c, null, studyId, null);
    }

    static List<TrialRecord> Trials(DbConnection c, DbTransaction? tx, long studyId, long? onlyId)
    {
        var values = new Dictionary<long, SortedDictionary<int, double>>();
        using (var cmd = Command(c, tx, "SELECT v.trial_id, v.step, v.value FROM intermediate_values v JOIN trials t ON t.id = v.trial_id WHERE t.study_id = @s"
                   + (onlyId is null ? "" : " AND t.id = @id"), ("s", studyId), ("id", onlyId ?? 0)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                if (!values.TryGetValue(r.GetInt64(0), out var map)) values[r.GetInt64(0)] = map = [];
                map[r.GetInt32(1)] = r.GetDouble(2);
            }
        var trials = new List<TrialRecord>();
        using (var cmd = Command(c, tx, "SELECT id, number, state, params, value, attrs, worker, attempts, started_at, finished_at, heartbeat_at FROM trials WHERE study_id = @s"
                   + (onlyId is null ? "" : " AND id = @id") + " ORDER BY number", ("s", studyId), ("id", onlyId ?? 0)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                long id = r.GetInt64(0);
                trials.Add(new TrialRecord
                {
                    Id = id,
                    Number = r.GetInt32(1),
                    State = ParseState(r.GetString(2)),
                    Params = r.IsDBNull(3) ? null : (JsonObject)JsonNode.Parse(r.GetString(3))!,
                    Value = r.IsDBNull(4) ? null : r.GetDouble(4),
                    Attrs = (JsonObject)JsonNode.Parse(r.GetString(5))!,
                    Worker = r.IsDBNull(6) ? null : r.GetString(6),
                    Attempts = r.GetInt32(7),
                    StartedAt = r.IsDBNull(8) ? null : r.GetDouble(8),
                    FinishedAt = r.IsDBNull(9) ? null : r.GetDouble(9),
                    HeartbeatAt = r.IsDBNull(10) ? null : r.GetDouble(10),
                    Intermediate = values.TryGetValue(id, out var map) ? map : new SortedDictionary<int, double>(),
                });
            }
        return trials;
    }

    static string StateName(TrialState s) => s.ToString().ToUpperInvariant();

    static TrialState ParseState(string s) => s switch
    {
        "RUNNING" => TrialState.Running,
        "COMPLETE" => TrialState.Complete,
        "PRUNED" => TrialState.Pruned,
        _ => TrialState.Fail,
    };

    protected static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected static int Exec(DbConnection c, DbTransaction? tx, string sql, params (string, object)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        return cmd.ExecuteNonQuery();
    }

    protected static object? Scalar(DbConnection c, DbTransaction? tx, string sql, params (string, object)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        return cmd.ExecuteScalar();
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
