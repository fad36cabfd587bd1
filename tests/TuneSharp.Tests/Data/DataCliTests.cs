using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Data.Fetch.Converters;
using TuneSharp.Data.Tokens;
using TuneSharp.Tests.Cli;

namespace TuneSharp.Tests.Data;

public class DataCliTests
{
    static readonly Func<string, ITokenCounter> Whitespace = _ => WhitespaceTokenCounter.Instance;

    [Fact]
    public void Validate_CleanFile_ExitsZero()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"good","label":"pos"}""", """{"text":"bad","label":"neg"}""");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "validate", f, "--labels", "neg,pos");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("OK: no errors", r.Stdout);
        Assert.Contains("Label distribution", r.Stdout);
    }

    [Fact]
    public void Validate_WithErrors_ExitsTwo_AndPrintsFileLineField()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"good","label":"pos"}""", """{"text":"bad","label":"meh"}""");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "validate", f, "--labels", "neg,pos");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"error: {f}:2: label: label 'meh' is not in the label set", r.Stdout);
    }

    [Fact]
    public void Validate_Json_IsMachineReadable_AndStatesThePolicy()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"one two three"}""");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "validate", f, "--json", "--max-length", "2", "--truncation", "truncate");
        Assert.Equal(0, r.ExitCode);
        var json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal("truncate", json["truncation"]!.GetValue<string>());
        Assert.Equal(2, json["training_tokens"]!.GetValue<long>());
        var problem = json["problems"]![0]!;
        Assert.Equal(("too-long", "warning", 1L), (problem["code"]!.GetValue<string>(), problem["severity"]!.GetValue<string>(), problem["line"]!.GetValue<long>()));
    }

    [Fact]
    public void Validate_SplitFiles_ReportsLeakage()
    {
        using var dir = new TempDir();
        var train = dir.Lines("train.jsonl", """{"text":"same","label":"a"}""");
        var val = dir.Lines("val.jsonl", """{"text":"same","label":"a"}""");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "validate", train, "--split-files", $"{train},{val}");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{val}:1: text: also in {train}:1", r.Stdout);
    }

    [Fact]
    public void Validate_SplitFiles_ReadInSplitOrder_WhateverFileIsNamedFirst()
    {
        using var dir = new TempDir();
        var train = dir.Lines("train.jsonl", """{"text":"same","label":"a"}""");
        var val = dir.Lines("val.jsonl", """{"text":"same","label":"a"}""");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "validate", val, "--split-files", $"{train},{val}");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{val}:1: text: also in {train}:1", r.Stdout);
        Assert.Contains($"Files\n  {train}:", r.Stdout.Replace("\r", ""));
    }

    [Fact]
    public void Validate_Model_UsesTheInjectedCounter()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"abcdef"}""");
        string? asked = null;
        var r = CliHarness.Run(DataCommand.Create(m => { asked = m; return new DelegateTokenCounter("chars", s => s.Length); }),
            "data", "validate", f, "--model", "/models/x", "--max-length", "3");
        Assert.Equal("/models/x", asked);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("6 tokens > max length 3", r.Stdout);
    }

    [Fact]
    public void Validate_Model_CountsWithTheRealTokenizer()
    {
        using var dir = new TempDir();
        var text = "The quick brown fox jumps over the lazy dog.";
        var f = dir.Lines("a.jsonl", "{\"text\":\"" + text + "\"}");
        var model = Fixtures.HfTiny("tiny-llama");
        int expected = TuneSharp.Tokenization.HfTokenizer.Load(model).Encode(text).Count;
        var r = CliHarness.Run(DataCommand.Create(), "data", "validate", f, "--model", model, "--json");
        Assert.Equal(0, r.ExitCode);
        var json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(expected, json["training_tokens"]!.GetValue<long>());
        Assert.NotEqual(9, expected); // the whitespace count would be 9
        Assert.StartsWith("tokenizer of", json["token_counter"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_Model_MissingFolder_ExitsTwo()
    {
        var r = CliHarness.Run(DataCommand.Create(), "data", "validate", "x.jsonl", "--model", "/no/such/model");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/no/such/model: no such model folder", r.Stderr);
    }

    [Fact]
    public void Validate_MissingFile_IsOneLineUserError()
    {
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "validate", "/no/such.jsonl");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: /no/such.jsonl: no such file or folder", r.Stderr.Trim());
    }

    [Fact]
    public void Split_WritesJsonlSplits_Deterministically()
    {
        using var dir = new TempDir();
        var lines = Enumerable.Range(0, 50).Select(i => new JsonObject { ["text"] = $"t{i}", ["label"] = i % 2 == 0 ? "a" : "b", ["g"] = $"g{i / 2}" }.ToJsonString()).ToArray();
        var f = dir.Lines("a.jsonl", lines);
        var out1 = Path.Combine(dir.Path, "o1");
        var out2 = Path.Combine(dir.Path, "o2");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "split", f, "--out", out1, "--ratios", "0.8,0.1,0.1", "--seed", "7", "--stratify", "label");
        CliHarness.Run(DataCommand.Create(Whitespace), "data", "split", f, "--out", out2, "--seed", "7", "--stratify", "label");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(40, File.ReadAllLines(Path.Combine(out1, "train.jsonl")).Length);
        Assert.Equal(10, File.ReadAllLines(Path.Combine(out1, "validation.jsonl")).Length + File.ReadAllLines(Path.Combine(out1, "test.jsonl")).Length);
        Assert.Equal(File.ReadAllText(Path.Combine(out1, "test.jsonl")), File.ReadAllText(Path.Combine(out2, "test.jsonl")));
        Assert.Empty(Directory.GetFiles(out1, "*.tmp"));
    }

    [Fact]
    public void Split_KFold_WritesFoldFolders()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", Enumerable.Range(0, 9).Select(i => $$"""{"text":"t{{i}}"}""").ToArray());
        var outDir = Path.Combine(dir.Path, "folds");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "split", f, "--out", outDir, "--k", "3");
        Assert.Equal(0, r.ExitCode);
        for (int k = 1; k <= 3; k++)
        {
            Assert.Equal(3, File.ReadAllLines(Path.Combine(outDir, $"fold-{k}", "validation.jsonl")).Length);
            Assert.Equal(6, File.ReadAllLines(Path.Combine(outDir, $"fold-{k}", "train.jsonl")).Length);
        }
    }

    [Fact]
    public void Split_BadRatios_ExitsTwo()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"x"}""");
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "split", f, "--out", dir.Path, "--ratios", "0.5,0.6,0.1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("must sum to 1", r.Stderr);
    }

    [Fact]
    public void Fetch_WithInjectedTarball_WritesSplits()
    {
        using var dir = new TempDir();
        var tgz = FakeNpmPackage.Build(dir.Path, "nlp.tgz", new Dictionary<string, string>
        {
            ["builds/doc-0.json"] = new JsonArray(Enumerable.Range(0, 10).Select(i => (JsonNode?)$"Sentence {i}.").ToArray()).ToJsonString(),
        });
        var (_, fetcher) = FakeNpmPackage.Fetcher("nlp-corpus", "nlp-corpus", "4.4.0", tgz, new NlpCorpusConverter());
        var outDir = Path.Combine(dir.Path, "out");
        var r = CliHarness.Run(DataCommand.Create(Whitespace, fetcher), "data", "fetch", "nlp-corpus", "--cache", Path.Combine(dir.Path, "cache"), "--out", outDir);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("integrity verified", r.Stdout);
        Assert.Equal(8, File.ReadAllLines(Path.Combine(outDir, "train.jsonl")).Length);
    }

    [Fact]
    public void Fetch_UnknownDataset_ExitsTwo()
    {
        var r = CliHarness.Run(DataCommand.Create(Whitespace), "data", "fetch", "imdb");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown dataset 'imdb'", r.Stderr);
    }
}
