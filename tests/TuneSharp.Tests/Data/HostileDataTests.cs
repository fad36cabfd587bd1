using System.Diagnostics;
using TuneSharp.Data.Readers;
using TuneSharp.Hardening;

namespace TuneSharp.Tests.Data;

/// <summary>
/// Reproducers from fuzzing the data readers (docs/RELIABILITY.md): each used to end in an exception other than
/// UserError, a message over several lines, or a reader that never returned.
/// </summary>
public sealed class HostileDataTests
{
    [Fact]
    public void Jsonl_a_duplicated_key_is_a_problem_on_its_line_not_an_ArgumentException()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.jsonl", "{\"text\": \"ok\", \"label\": 1}", "{\"text\": \"x\", \"label\": 1, \"label\": 2}");
        var message = Assert.Throws<UserError>(() => DataSources.Open(path).ToList()).Message;
        Assert.StartsWith($"{path}:2:", message);
        Assert.Contains("label", message);
    }

    [Fact]
    public void Csv_a_malformed_quoted_row_over_several_lines_is_reported_on_one_line()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.csv", "text,label", "\"Subject: hi\nthere\" x,1");
        var message = Assert.Throws<UserError>(() => DataSources.Open(path).ToList()).Message;
        Assert.DoesNotContain('\n', message);
        Assert.Contains("Subject: hi\\nthere", message);
    }

    // A footer mutated so that Parquet.Net 6.1.0 skips a Thrift struct past the end of its input, where it loops
    // forever. The looping thread cannot be stopped, so this runs the real CLI in a child process, which must
    // give up with one error line and exit 2.
    [Fact]
    public async Task Parquet_a_footer_that_sends_Parquet_Net_into_a_loop_ends_in_one_error_line()
    {
        using var dir = new TempDir();
        var target = FuzzTargets.Get("data.parquet", Fixtures.Root, Fixtures.RepoRoot, Path.Combine(dir.Path, "seeds"));
        var seed = File.ReadAllBytes(Path.Combine(target.SeedDir, target.File));
        var (bytes, _) = Mutator.Mutate(seed, new Random(5)); // fuzz-files --target data.parquet, seed 5
        var path = Path.Combine(dir.Path, "hang.parquet");
        File.WriteAllBytes(path, bytes);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "TuneSharp.Cli.dll"), "data", "validate", path }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); Assert.Fail("tunesharp data validate did not return"); }
        Assert.Equal(2, p.ExitCode);
        await stdout;
        var error = (await stderr).Trim();
        Assert.StartsWith($"error: {path}: not a readable Parquet file: the footer", error);
        Assert.DoesNotContain('\n', error);
    }
}
