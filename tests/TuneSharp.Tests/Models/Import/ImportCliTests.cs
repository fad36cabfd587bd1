using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Tests.Cli;

namespace TuneSharp.Tests.Models.Import;

/// <summary>
/// The CLI side: `models import --onnx` of a truncated file is one `error:` line with exit 2 and no folder;
/// `embed` on an imported folder writes one normalised vector per record equal to the encoder's.
/// </summary>
[Collection(ImportedEncodersCollection.Name)]
public sealed class ImportCliTests(ImportedEncoders encoders) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-import-cli-").FullName;

    [Fact]
    public void TruncatedOnnxIsOneErrorLine()
    {
        var onnx = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(onnx, encoders.Onnx("arctic-xs")[..5000]);
        var outDir = Path.Combine(dir, "out");
        var r = CliHarness.Run(ModelsCommand.Create(), "models", "import", "--onnx", onnx,
            "--vocab", Path.Combine(encoders.Dir("arctic-xs"), "vocab.txt"), "--out", outDir);
        Assert.Equal(2, r.ExitCode);
        var line = r.Stderr.TrimEnd('\n', '\r');
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain('\n', line);
        Assert.Contains(onnx, line);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void EmbedWritesTheEncodersVectors()
    {
        var input = Path.Combine(dir, "in.jsonl");
        File.WriteAllLines(input, ["{\"id\": 1, \"text\": \"The cat sat on the mat.\"}", "{\"id\": 2, \"text\": \"Stocks fell sharply today.\"}"]);
        var output = Path.Combine(dir, "out.jsonl");
        var r = CliHarness.Run(EmbedCommand.Create(), "embed", "--model", encoders.Dir("minilm"), "--input", input, "--output", output, "--device", "cpu");
        Assert.Equal(0, r.ExitCode);
        var rows = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, rows.Count);
        using var encoder = TuneSharp.Inference.SentenceEncoder.Load(encoders.Dir("minilm"));
        var expected = encoder.Embed(["The cat sat on the mat.", "Stocks fell sharply today."]);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(i + 1, rows[i]["id"]!.GetValue<int>());
            var v = rows[i]["embedding"]!.AsArray().Select(x => x!.GetValue<float>()).ToArray();
            Assert.Equal(384, v.Length);
            Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4); // MiniLM's Normalize module
            for (int c = 0; c < v.Length; c++) Assert.Equal(expected[i][c], v[c], 5);
        }
    }

    [Fact]
    public void EmbedNamesTheBadLine()
    {
        var input = Path.Combine(dir, "bad.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"ok\"}", "{\"body\": \"no text field\"}"]);
        var r = CliHarness.Run(EmbedCommand.Create(), "embed", "--model", encoders.Dir("minilm"), "--input", input, "--output", Path.Combine(dir, "o.jsonl"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{input}:2: field 'text' is missing", r.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "o.jsonl")));
    }

    public void Dispose() => Directory.Delete(dir, true);
}
