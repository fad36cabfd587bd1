using Npgsql;

namespace TuneSharp.Tests.Tuning;

/// <summary>
/// The PostgreSQL that storage tests run against: TUNESHARP_TEST_POSTGRES (a postgresql:// URL; .ci/run starts a
/// throwaway cluster and sets it). Without it a test fails under CI=true, so CI can never pass without testing
/// PostgreSQL, and skips with the reason when run by hand. Each test gets a fresh database of its own.
/// </summary>
public static class PostgresTestDatabase
{
    public const string Variable = "TUNESHARP_TEST_POSTGRES";

    /// <summary>A URL of a new, empty database; skips or fails (see above) when no server is configured.</summary>
    public static string CreateDatabase()
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(url))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{Variable} is not set, but CI=true: .ci/run must start PostgreSQL (.ci/postgres.sh) so that the PostgreSQL storage is tested");
            Skip.If(true, $"{Variable} is not set: run `source .ci/postgres.sh` first (it starts a throwaway PostgreSQL and sets it) to test the PostgreSQL storage");
        }
        var admin = TuneSharp.Tuning.Storage.PostgresUrl.Parse(url);
        var name = "tunesharp_test_" + Guid.NewGuid().ToString("N")[..12];
        using (var source = NpgsqlDataSource.Create(admin))
        using (var cmd = source.CreateCommand($"CREATE DATABASE {name}"))
            cmd.ExecuteNonQuery();
        var uri = new UriBuilder(url) { Path = "/" + name };
        return uri.Uri.ToString();
    }
}
