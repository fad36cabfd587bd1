using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;

namespace TuneSharp.Tests.Cli;

public class GenerateCommandTests
{
    [Fact]
    public void Json_output_has_prompt_then_greedy_ids_and_logprobs()
    {
        // The fixture's greedy continuation of "Fine-tuning" (12 tokens, no EOS stop), from meta/reference.
        using var reference = new Models.Reference("tiny-llama");
        var expected = reference["greedy_output"].data<long>().Select(i => (int)i).ToArray();
        var r = CliHarness.Run(GenerateCommand.Create(), "generate", "--model", Fixtures.HfTiny("tiny-llama"),
            "--prompt", "Fine-tuning", "--max-new-tokens", "12", "--ignore-eos", "--json", "--logprobs", "3", "--device", "cpu");
        Assert.Equal(0, r.ExitCode);
        var obj = JsonNode.Parse(r.Stdout)!.AsObject();
        Assert.Equal(expected, obj["token_ids"]!.AsArray().Select(n => (int)n!).ToArray());
        var logprobs = obj["logprobs"]!.AsArray();
        Assert.Equal(12, logprobs.Count);
        foreach (var entry in logprobs)
        {
            var top = entry!["top"]!.AsArray();
            Assert.Equal(3, top.Count);
            // Greedy: the chosen token is the most likely one, and its logprob is the top logprob.
            Assert.Equal((int)entry["token_id"]!, (int)top[0]!["token_id"]!);
            Assert.Equal((double)entry["logprob"]!, (double)top[0]!["logprob"]!, 6);
            Assert.True((double)top[0]!["logprob"]! >= (double)top[1]!["logprob"]!);
            Assert.True((double)entry["logprob"]! < 0);
        }
        Assert.IsType<string>((string?)obj["text"]);
    }

    [Fact]
    public void Plain_output_is_the_decoded_continuation()
    {
        var r = CliHarness.Run(GenerateCommand.Create(), "generate", "--model", Fixtures.HfTiny("tiny-gpt2"),
            "--prompt", "Fine-tuning", "--max-new-tokens", "5", "--ignore-eos", "--device", "cpu");
        Assert.Equal(0, r.ExitCode);
        Assert.False(string.IsNullOrEmpty(r.Stdout.TrimEnd('\n')));
    }

    [Fact]
    public void Sampling_with_a_seed_is_reproducible()
    {
        string[] args = ["generate", "--model", Fixtures.HfTiny("tiny-llama"), "--prompt", "Return", "--max-new-tokens", "8",
            "--temperature", "1.0", "--top-p", "0.9", "--seed", "7", "--ignore-eos", "--json", "--device", "cpu"];
        var a = CliHarness.Run(GenerateCommand.Create(), args);
        var b = CliHarness.Run(GenerateCommand.Create(), args);
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Stdout, b.Stdout);
    }

    [Fact]
    public void Negative_max_new_tokens_is_a_user_error()
    {
        var r = CliHarness.Run(GenerateCommand.Create(), "generate", "--model", Fixtures.HfTiny("tiny-llama"),
            "--prompt", "x", "--max-new-tokens", "-1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("max_new_tokens", r.Stderr);
    }
}
