using TuneSharp.Cli.Commands;
using TuneSharp.Models;

namespace TuneSharp.Tests.Cli;

/// <summary>`tunesharp models shrink` and `tunesharp distill generate`: a working call, and bad input as one error line.</summary>
// Builds modules, whose initialisation draws from torch's global generator: kept off tests that seed it.
[Collection(SequentialCollection.Name)]
public sealed class DistillationCommandTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-shrink-cli-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    static void AssertOneLineError(CliHarness.Result r, string mustContain)
    {
        Assert.NotEqual(0, r.ExitCode);
        var line = r.Stderr.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line);
        Assert.Contains(mustContain, line);
    }

    [Fact]
    public void Every_other_layer_of_a_two_layer_teacher_is_a_one_layer_student()
    {
        var output = Path.Combine(root, "student");
        var r = CliHarness.Run(ModelsCommand.Create(), "models", "shrink", "--model", Fixtures.HfTiny("tiny-bert-cls"), "--every-other", "--out", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("layers 0 of 2", r.Stdout);
        Assert.Equal(1, Pretrained.Config(output).Int("num_hidden_layers"));
    }

    [Theory]
    [InlineData(new string[0], "give --layers 0,2,4 or --every-other")]
    [InlineData(new[] { "--layers", "0,x" }, "--layers: 'x' is not a layer number")]
    [InlineData(new[] { "--layers", "0", "--every-other" }, "not both")]
    [InlineData(new[] { "--layers", "5" }, "5 is not a teacher layer")]
    public void Bad_layer_choices_are_one_error_line(string[] extra, string message) =>
        AssertOneLineError(CliHarness.Run(ModelsCommand.Create(), ["models", "shrink", "--model", Fixtures.HfTiny("tiny-bert-cls"), "--out", Path.Combine(root, "s"), .. extra]), message);

    [Fact]
    public void A_missing_teacher_folder_is_one_error_line() =>
        AssertOneLineError(CliHarness.Run(ModelsCommand.Create(), "models", "shrink", "--model", Path.Combine(root, "nope"), "--every-other", "--out", Path.Combine(root, "s")), "not a model folder");

    [Fact]
    public void Distill_generate_refuses_a_nonpositive_token_budget() =>
        AssertOneLineError(CliHarness.Run(DistillCommand.Create(), "distill", "generate", "--teacher", Fixtures.HfTiny("tiny-llama"),
            "--input", Path.Combine(root, "none.jsonl"), "--output", Path.Combine(root, "o.jsonl"), "--max-new-tokens", "0", "--device", "cpu"), "--max-new-tokens: must be positive");
}
