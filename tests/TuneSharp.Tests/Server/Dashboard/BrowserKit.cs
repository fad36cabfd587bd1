using Microsoft.Playwright;

namespace TuneSharp.Tests.Server.Dashboard;

/// <summary>
/// Debian's chromium driven by Microsoft.Playwright (headless, never a downloaded browser). The browser is
/// TUNESHARP_TEST_CHROMIUM (.ci/chromium.sh installs and sets it), else /usr/bin/chromium when present. Without
/// one a test fails under CI=true and skips when run by hand. Screenshots go to TUNESHARP_TEST_ARTIFACTS, else
/// tests/artifacts/dashboard (ignored by git).
/// </summary>
internal static class BrowserKit
{
    public const string Variable = "TUNESHARP_TEST_CHROMIUM";

    public static string Chromium()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(path) && File.Exists("/usr/bin/chromium")) path = "/usr/bin/chromium";
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{Variable} is not set and /usr/bin/chromium is missing, but CI=true: .ci/run must install it (.ci/chromium.sh)");
            Skip.If(true, $"no chromium: run `source .ci/chromium.sh` (installs Debian's chromium and sets {Variable}) to run the browser tests");
        }
        return path!;
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var chromium = Chromium();
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"], // root in a container: chromium's sandbox cannot start
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots are written (created).</summary>
    public static string Artifacts()
    {
        var env = Environment.GetEnvironmentVariable("TUNESHARP_TEST_ARTIFACTS");
        var dir = !string.IsNullOrEmpty(env) ? Path.Combine(env, "dashboard") : Path.Combine(Fixtures.RepoRoot, "tests", "artifacts", "dashboard");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
