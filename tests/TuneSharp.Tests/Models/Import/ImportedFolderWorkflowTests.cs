using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Inference;
using TuneSharp.Tests.Cli;
using TuneSharp.Tests.Server;

namespace TuneSharp.Tests.Models.Import;

/// <summary>
/// An imported MiniLM folder is an ordinary Hugging Face folder for every command: the repository's MiniLM LoRA
/// recipe trains on it (two steps on Brown passages), eval and predict read the run, and the server answers
/// /v1/embeddings with the folder's own mean pooling, equal to <see cref="SentenceEncoder"/>'s vectors.
/// </summary>
[Collection(ImportedEncodersCollection.Name)]
public sealed class ImportedFolderWorkflowTests(ImportedEncoders encoders) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-import-flow-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    string Passages(string split, int n)
    {
        var path = Path.Combine(dir, split + ".jsonl");
        File.WriteAllLines(path, File.ReadLines(Path.Combine(Fixtures.RepoRoot, "data", "brown-genre-passages", split + ".jsonl")).Take(n));
        return path;
    }

    [Fact]
    public async Task Train_eval_predict_and_serve_accept_the_imported_folder()
    {
        var model = encoders.Dir("minilm");
        var recipe = Path.Combine(Fixtures.RepoRoot, "recipes", "sequence-classification", "minilm_lora_cpu.yaml");
        var run = Path.Combine(dir, "run");
        string[] overrides = [$"model={model}", $"output_dir={run}", $"data.train={Passages("train", 24)}",
            $"data.validation={Passages("validation", 8)}", $"data.test={Passages("test", 8)}", "data.max_length=32",
            "training.max_steps=2", "training.batch_size=8", "device=cpu"];

        var train = CliHarness.Run(TrainCommand.Create(), ["train", recipe, .. overrides]);
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_config.json")));

        var eval = CliHarness.Run(EvalCommand.Create(), ["eval", recipe, .. overrides, "--split", "test", "--json"]);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Equal(8, (int)JsonNode.Parse(eval.Stdout)!["examples"]!);

        var output = Path.Combine(dir, "predicted.jsonl");
        var predict = CliHarness.Run(PredictCommand.Create(), ["predict", "--model", Path.Combine(run, "model"),
            "--task", "sequence-classification", "--input", Path.Combine(dir, "test.jsonl"), "--output", output]);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var labels = File.ReadLines(output).Select(l => (string)JsonNode.Parse(l)!["label"]!).ToList();
        Assert.Equal(8, labels.Count);
        Assert.All(labels, l => Assert.False(string.IsNullOrEmpty(l)));

        string[] texts = ["The committee voted on Tuesday.", "She ran into the night, afraid."];
        await using var server = await ServerKit.StartAsync(model);
        using var http = ServerKit.Http(server);
        var (status, body, text) = await ServerKit.PostAsync(http, "/v1/embeddings",
            new JsonObject { ["model"] = Path.GetFileName(model), ["input"] = new JsonArray(texts.Select(t => (JsonNode)t).ToArray()) }.ToJsonString());
        Assert.True(status == 200, text);
        using var encoder = SentenceEncoder.Load(model);
        var expected = encoder.Embed(texts);
        var data = body!["data"]!.AsArray();
        for (int i = 0; i < texts.Length; i++)
        {
            var vector = data[i]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray();
            Assert.Equal(384, vector.Length);
            for (int k = 0; k < vector.Length; k++) Assert.Equal(expected[i][k], vector[k], 5);
        }
    }
}
