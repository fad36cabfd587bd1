using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Tests.Cli;
using TuneSharp.Tokenization;
using static TuneSharp.Tests.Tokenization.TokenizerTestFiles;

namespace TuneSharp.Tests.Tokenization.Training;

/// <summary><c>tunesharp tokenizer train</c> end to end: inputs, output folder, report and errors.</summary>
public class TokenizerCommandTests
{
    static CliHarness.Result Train(params string[] args) => CliHarness.Run(TokenizerCommand.Create(), ["tokenizer", "train", .. args]);

    /// <summary>A JSONL file (with one record lacking "text") and a folder of .txt files, from the test corpus.</summary>
    static (string Jsonl, string Folder) Inputs()
    {
        var dir = TempDir();
        var lines = TrainingCorpus.Lines().ToArray();
        var jsonl = Path.Combine(dir, "part1.jsonl");
        File.WriteAllLines(jsonl, lines.Take(200).Select(l => new JsonObject { ["text"] = l }.ToJsonString())
            .Append("""{"label": "no text here"}"""));
        var folder = Path.Combine(dir, "texts");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.txt"), string.Concat(lines.Skip(200)));
        return (jsonl, folder);
    }

    [Fact]
    public void Trains_from_jsonl_and_a_text_folder_and_reports()
    {
        var (jsonl, folder) = Inputs();
        var outDir = Path.Combine(TempDir(), "tok");
        var r = Train("--input", jsonl, "--input", folder, "--vocab-size", "600", "--out", outDir, "--special", "<|tool|>");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("vocab size      600", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("merges          339", r.Stdout, StringComparison.Ordinal); // 600 - 5 special - 256 bytes
        Assert.Contains("skipped         1 records", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("chars/s", r.Stdout, StringComparison.Ordinal);
        var tok = HfTokenizer.Load(outDir);
        Assert.Equal(600, tok.VocabSize);
        Assert.Equal(4, tok.TokenToId("<|tool|>"));
        Assert.Equal("Straße 😀\n", tok.Decode(tok.Encode("Straße 😀\n")));
    }

    [Fact]
    public void Max_chars_caps_the_text_read()
    {
        var (jsonl, _) = Inputs();
        var r = Train("--input", jsonl, "--vocab-size", "300", "--out", TempDir(), "--max-chars", "1000");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("chars processed 1,000 in", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_is_a_one_line_error()
    {
        var missing = Path.Combine(TempDir(), "nope.jsonl");
        var r = Train("--input", missing, "--vocab-size", "1000", "--out", TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: {missing}: no such file or folder", r.Stderr.TrimEnd());
    }

    [Fact]
    public void A_vocab_size_without_room_for_merges_is_a_one_line_error()
    {
        var (jsonl, _) = Inputs();
        var r = Train("--input", jsonl, "--vocab-size", "260", "--special", "<|x|>", "--out", TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --vocab-size 260 is too small: the 5 special tokens and 256 bytes already take 261", r.Stderr.TrimEnd());
    }

    [Fact]
    public void Input_without_the_field_is_a_one_line_error()
    {
        var (jsonl, _) = Inputs();
        var r = Train("--input", jsonl, "--field", "body", "--vocab-size", "300", "--out", TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: no text to train on: no record has a string field 'body'", r.Stderr.TrimEnd());
    }
}
