using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace TuneSharp.Tuning.Storage;

/// <summary>
/// Studies in one SQLite file (by default runs/&lt;study&gt;/study.db). Write-ahead logging lets readers (a report)
/// run beside a writer; a claim is BEGIN IMMEDIATE, so two local workers on one file take numbers in turn, and a
/// busy database is retried for the command timeout instead of failing.
/// </summary>
public sealed class SqliteStudyStorage : SqlStudyStorage
{
    readonly string connectionString;
    readonly string path;

    public SqliteStudyStorage(string path)
    {
        this.path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(this.path)!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = this.path, DefaultTimeout = 60, Pooling = false }.ToString();
        try
        {
            using (var c = Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "PRAGMA journal_mode=WAL";
                cmd.ExecuteNonQuery();
            }
            Migrate();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11) // SQLITE_NOTADB, SQLITE_CORRUPT
        {
            throw new UserError($"{path}: not a study database ({e.Message})");
        }
    }

    public override string Description => $"sqlite {path}";

    protected override (string Id, string Real, string Text) Types => ("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL", "TEXT");

    protected override DbConnection Open()
    {
        var c = new SqliteConnection(connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys=ON";
        cmd.ExecuteNonQuery();
        return c;
    }

    // Microsoft.Data.Sqlite starts a non-deferred transaction with BEGIN IMMEDIATE: the write lock is taken at once.
    protected override DbTransaction BeginExclusive(DbConnection connection, long? studyId) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);
}
