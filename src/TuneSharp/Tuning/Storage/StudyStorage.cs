namespace TuneSharp.Tuning.Storage;

/// <summary>Opens the storage a --storage value names: a postgresql:// URL, sqlite:///path, or a path to a .db file.</summary>
public static class StudyStorage
{
    public static IStudyStorage Open(string storage)
    {
        if (PostgresUrl.IsPostgres(storage)) return new PostgresStudyStorage(storage);
        var path = storage.StartsWith("sqlite:///", StringComparison.Ordinal) ? storage["sqlite:///".Length..]
            : storage.StartsWith("sqlite://", StringComparison.Ordinal) ? storage["sqlite://".Length..] : storage;
        if (path.Contains("://", StringComparison.Ordinal)) throw new UserError($"--storage: '{PostgresUrl.Redact(storage)}' is neither postgresql://… nor a SQLite file");
        return new SqliteStudyStorage(path);
    }

    /// <summary>The default storage of a study: runs/&lt;study&gt;/study.db.</summary>
    public static string DefaultPath(string runsDir, string study) => Path.Combine(runsDir, study, "study.db");
}
