using Npgsql;

namespace TuneSharp.Tuning.Storage;

/// <summary>
/// Turns a libpq-style URL, postgresql://user:password@host:port/database?host=/socket/dir&amp;sslmode=disable, into
/// Npgsql's connection settings (Npgsql reads only key=value strings). A host given as a query parameter, or a
/// host starting with '/', is a Unix-socket folder.
/// </summary>
public static class PostgresUrl
{
    public static bool IsPostgres(string storage) =>
        storage.StartsWith("postgresql://", StringComparison.Ordinal) || storage.StartsWith("postgres://", StringComparison.Ordinal);

    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        if (!IsPostgres(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new UserError($"--storage: '{Redact(url)}' is not a postgresql://user:password@host:port/database URL");
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : Uri.UnescapeDataString(uri.Host),
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key)
            {
                case "host": b.Host = value; break;
                case "port": b.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "user": b.Username = value; break;
                case "password": b.Password = value; break;
                case "sslmode": b.SslMode = Enum.Parse<SslMode>(value, ignoreCase: true); break;
                default: throw new UserError($"--storage: unknown URL parameter '{key}' (host, port, user, password, sslmode)");
            }
        }
        return b;
    }

    /// <summary>The URL without its password, for messages.</summary>
    public static string Redact(string url) =>
        System.Text.RegularExpressions.Regex.Replace(url, "://([^:/@]+):[^@]*@", "://$1:***@");
}
