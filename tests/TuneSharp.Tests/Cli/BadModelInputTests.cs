using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Models;

namespace TuneSharp.Tests.Cli;

/// <summary>
/// Each bad model folder gives exit code 2 and one clear line naming the file (and key), never a stack trace.
/// </summary>
public sealed class BadModelInputTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "tunesharp-bad-" + Guid.NewGuid().ToString("N"));

    public BadModelInputTests()
    {
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Fixtures.HfTiny("tiny-llama")))
            if (!f.EndsWith("reference.safetensors", StringComparison.Ordinal)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
    }

    public void Dispose() => Directory.Delete(dir, true);

    CliHarness.Result Generate() =>
        CliHarness.Run(GenerateCommand.Create(), "generate", "--model", dir, "--prompt", "Fine-tuning", "--max-new-tokens", "2", "--device", "cpu");

    static void AssertOneLineError(CliHarness.Result r, params string[] mustContain)
    {
        Assert.Equal(2, r.ExitCode);
        var line = r.Stderr.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain(" at TuneSharp", line);
        foreach (var s in mustContain) Assert.Contains(s, line);
    }

    void EditJson(string file, Action<JsonObject> edit)
    {
        var path = Path.Combine(dir, file);
        var obj = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(obj);
        File.WriteAllText(path, obj.ToJsonString());
    }

    [Fact]
    public void Good_folder_generates()
    {
        var r = Generate();
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Truncated_safetensors_names_the_file()
    {
        var path = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        AssertOneLineError(Generate(), "model.safetensors");
    }

    [Fact]
    public void Corrupt_safetensors_header_names_the_file()
    {
        var path = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        bytes[10] = (byte)'#'; // inside the JSON header
        File.WriteAllBytes(path, bytes);
        AssertOneLineError(Generate(), "model.safetensors");
    }

    [Fact]
    public void Missing_shard_names_the_index_and_the_shard()
    {
        using (var model = Pretrained.LoadCausalLM(dir))
            Pretrained.Save(dir, model.Module, Pretrained.Config(dir), sideFilesFrom: Fixtures.HfTiny("tiny-llama"), maxShardBytes: 200_000);
        var shard = Directory.GetFiles(dir, "model-0000*-of-*.safetensors").Order().Last();
        File.Delete(shard);
        AssertOneLineError(Generate(), "model.safetensors.index.json", Path.GetFileName(shard));
    }

    [Fact]
    public void Unknown_model_type_names_config_and_key()
    {
        EditJson("config.json", c => c["model_type"] = "mamba");
        AssertOneLineError(Generate(), "config.json", "model_type", "mamba");
    }

    [Fact]
    public void Shape_mismatch_names_the_tensor_and_both_shapes()
    {
        EditJson("config.json", c => c["intermediate_size"] = 96);
        AssertOneLineError(Generate(), "model.safetensors", "mlp.", "[128, 64]", "[96, 64]");
    }

    [Fact]
    public void Unsupported_tokenizer_model_names_file_and_key()
    {
        EditJson("tokenizer.json", t => t["model"]!["type"] = "Unigram");
        AssertOneLineError(Generate(), "tokenizer.json", "Unigram");
    }
}
