using System.Net;

namespace TuneSharp.Server.Dashboard;

/// <summary>Settings of <c>tunesharp dashboard</c>; safe by default (loopback, runs folder only).</summary>
public sealed record DashboardOptions
{
    /// <summary>The runs folder whose subfolders are shown; nothing outside it is ever served.</summary>
    public required string RunsDir { get; init; }
    /// <summary>A folder of data files for the Data page and the playground's neighbour samples; none by default.</summary>
    public string? DataDir { get; init; }
    /// <summary>Interface to bind: loopback unless asked otherwise (then <see cref="ApiKey"/> is required).</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; } = 7860;
    /// <summary>Key asked for once (?key=K, or Authorization: Bearer K); required when bound beyond loopback.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Checks the values; each failure is a user error naming the option.</summary>
    public void Validate()
    {
        if (!Directory.Exists(RunsDir)) throw new UserError($"--runs: folder not found: {RunsDir}");
        if (DataDir is not null && !Directory.Exists(DataDir)) throw new UserError($"--data: folder not found: {DataDir}");
        if (Port is < 0 or > 65535) throw new UserError($"--port: must be between 0 and 65535, got {Port}");
        if (ApiKey is { Length: 0 }) throw new UserError("--api-key: must not be empty");
        if (ApiKey is null && !IsLoopback(Host))
            throw new UserError($"--host {Host}: binding beyond loopback needs --api-key (or TUNESHARP_API_KEY)");
    }

    /// <summary>True for localhost and loopback addresses (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
