namespace TuneSharp.Bench;

/// <summary>Resident-set figures of this process from /proc/self/status (Linux), in bytes.</summary>
internal static class ProcStatus
{
    /// <summary>Current resident set size (VmRSS).</summary>
    public static long Rss() => Field("VmRSS:");

    /// <summary>Peak resident set size since the process started (VmHWM); it cannot be reset.</summary>
    public static long PeakRss() => Field("VmHWM:");

    static long Field(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0]) * 1024; // "VmRSS:   123456 kB"
        throw new InvalidOperationException($"{name} not in /proc/self/status (Linux only)");
    }
}
