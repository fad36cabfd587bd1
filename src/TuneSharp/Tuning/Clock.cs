namespace TuneSharp.Tuning;

/// <summary>Wall-clock time as Unix seconds, the unit storage keeps (one number, the same in SQLite and PostgreSQL).</summary>
public static class Clock
{
    public static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
