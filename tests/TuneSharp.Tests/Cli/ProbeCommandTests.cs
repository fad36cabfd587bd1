using TuneSharp.Cli.Commands;

namespace TuneSharp.Tests.Cli;

/// <summary>`tunesharp probe` with bad input: exit code 2 and one `error:` line, never a stack trace, before any model loads.</summary>
public sealed class ProbeCommandTests
{
    static CliHarness.Result Probe(params string[] args) =>
        CliHarness.Run(ProbeCommand.Create(), ["probe", "--model", Fixtures.HfTiny("tiny-bert-cls"), "--out", Path.Combine(Path.GetTempPath(), "tunesharp-probe-unused"), "--device", "cpu", .. args]);

    static void AssertOneLineError(CliHarness.Result r, string mustContain)
    {
        Assert.Equal(2, r.ExitCode);
        var line = r.Stderr.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain(" at TuneSharp", line);
        Assert.Contains(mustContain, line);
    }

    [Fact]
    public void A_missing_Brown_folder_is_one_error_line_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "tunesharp-no-brown-" + Guid.NewGuid().ToString("N"));
        AssertOneLineError(Probe("--data", missing), missing);
    }

    [Fact]
    public void A_folder_without_the_pos_split_is_one_error_line_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("tunesharp-empty-brown-").FullName;
        try { AssertOneLineError(Probe("--data", dir, "--task", "pos"), Path.Combine(dir, "pos", "train.jsonl")); }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void An_unknown_task_is_one_error_line_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("tunesharp-empty-brown-").FullName;
        try { AssertOneLineError(Probe("--data", dir, "--task", "ner"), "'ner' is not pos, genre or both"); }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Help_names_the_options()
    {
        var r = CliHarness.Run(ProbeCommand.Create(), "probe", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "--model", "--data", "--task", "--max-train", "--max-eval", "--seed", "--out" }) Assert.Contains(option, r.Stdout);
    }
}
