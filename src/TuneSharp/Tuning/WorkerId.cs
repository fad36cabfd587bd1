using System.Diagnostics;

namespace TuneSharp.Tuning;

/// <summary>
/// Names a worker as host:pid:random. The host and pid let a worker on the same machine see at once that a
/// trial's owner process is gone (kill -9, a crash) instead of waiting for its heartbeat to time out.
/// </summary>
public static class WorkerId
{
    public static string New() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>True when <paramref name="worker"/> names a process of this host that does not exist any more.</summary>
    public static bool IsDeadLocalProcess(string? worker)
    {
        var parts = worker?.Split(':');
        if (parts is not { Length: 3 } || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out int pid)) return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException) { return true; } // no such process
        catch (InvalidOperationException) { return true; }
    }
}
