using TuneSharp.Cli;
using TuneSharp.Cli.Commands;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Tests.Adapters;
using TuneSharp.Tests.Models;

namespace TuneSharp.Tests.Server;

public class ExportCommandTests
{
    [Fact]
    public void Export_merges_the_adapter_into_a_plain_folder_that_reproduces_peft_merged_logits()
    {
        using var tmp = new TempFolder();
        var outDir = tmp["merged"];
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliRunner.Run(new System.CommandLine.RootCommand { ExportCommand.Create() },
            ["export", "--model", LoraKit.Llama, "--adapter", LoraKit.Adapter, "--out", outDir, "--device", "cpu"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());

        using (var exported = Checkpoint.Open(outDir))
        using (var original = Checkpoint.Open(LoraKit.Llama))
            Assert.Equal(original.Keys.Order(StringComparer.Ordinal), exported.Keys.Order(StringComparer.Ordinal));
        foreach (var file in new[] { "config.json", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), $"{file} missing from the export");

        using var model = Pretrained.LoadCausalLM(outDir);
        using var reference = new Reference("tiny-llama-lora");
        double diff = LoraKit.MaskedMaxDiff(LoraKit.Logits(model, reference), reference["merged_logits"], reference["attention_mask"]);
        Assert.True(diff <= 1e-4, $"exported model: max |logits - peft merged| = {diff:E3}");
    }

    [Fact]
    public void Export_to_the_model_folder_itself_is_a_user_error()
    {
        var stderr = new StringWriter();
        int code = CliRunner.Run(new System.CommandLine.RootCommand { ExportCommand.Create() },
            ["export", "--model", LoraKit.Llama, "--adapter", LoraKit.Adapter, "--out", LoraKit.Llama], new StringWriter(), stderr);
        Assert.Equal(CliRunner.UserErrorExit, code);
        Assert.Contains("--out: must differ from --model", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_adapter_pairs_are_parsed_strictly()
    {
        Assert.Equal("/a", ServeCommand.ParseAdapters(["x=/a", "y=/b"])["x"]);
        Assert.Throws<UserError>(() => ServeCommand.ParseAdapters(["x"]));
        Assert.Throws<UserError>(() => ServeCommand.ParseAdapters(["x=/a", "x=/b"]));
    }
}
