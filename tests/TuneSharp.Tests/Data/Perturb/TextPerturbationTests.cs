using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Data.Perturb;
using TuneSharp.Tests.Cli;

namespace TuneSharp.Tests.Data.Perturb;

/// <summary><c>data perturb</c>: typos and word drop at the requested rates, deterministic under the seed, other fields kept.</summary>
public sealed class TextPerturbationTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-perturb-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    static readonly TypoOp[] All = [TypoOp.Swap, TypoOp.Drop, TypoOp.Insert, TypoOp.Keyboard];

    static string LongText(int words, int seed)
    {
        var rng = new Random(seed);
        string[] vocab = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Reading", "corpus", "genre", "passage"];
        return string.Join(" ", Enumerable.Range(0, words).Select(_ => vocab[rng.Next(vocab.Length)]));
    }

    [Fact]
    public void Qwerty_neighbours_are_the_touching_keys_in_the_same_case()
    {
        Assert.Equal("adewxz", string.Concat(KeyboardNeighbours.Of('s').Order()));
        Assert.Equal("QSWZ".Order(), KeyboardNeighbours.Of('A').Order());
        Assert.Equal("bhjm".Order(), KeyboardNeighbours.Of('n').Order());
        Assert.Equal("", KeyboardNeighbours.Of('é'));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    public void The_typo_rate_is_respected_per_letter(double rate)
    {
        var text = LongText(5000, 1);
        var r = TextPerturbation.Apply(text, new PerturbOptions(rate, [TypoOp.Drop, TypoOp.Insert, TypoOp.Keyboard], 0), new Random(3));
        Assert.Equal(text.Count(char.IsLetter), r.Letters);
        Assert.InRange((double)r.Typos / r.Letters, rate * 0.9, rate * 1.1);
        Assert.NotEqual(text, r.Text);
        Assert.Equal(0, r.WordsDropped);
    }

    [Fact]
    public void Each_typo_does_what_it_says()
    {
        var rng = new Random(1);
        Assert.Equal("", TextPerturbation.Apply("abc", new PerturbOptions(1, [TypoOp.Drop], 0), rng).Text);
        var inserted = TextPerturbation.Apply("abc", new PerturbOptions(1, [TypoOp.Insert], 0), rng).Text;
        Assert.Equal(6, inserted.Length);
        Assert.Equal("abc", string.Concat(inserted.Where((_, i) => i % 2 == 0)));
        Assert.Equal("ba dc", TextPerturbation.Apply("ab cd", new PerturbOptions(1, [TypoOp.Swap], 0), rng).Text);
        var typed = TextPerturbation.Apply("sss", new PerturbOptions(1, [TypoOp.Keyboard], 0), rng).Text;
        Assert.All(typed, c => Assert.Contains(c, "adwezx"));
        Assert.Equal("1, 2; 3!", TextPerturbation.Apply("1, 2; 3!", new PerturbOptions(1, All, 0), rng).Text); // letters only
    }

    [Fact]
    public void Word_drop_removes_the_requested_share_and_keeps_at_least_one_word()
    {
        var text = LongText(5000, 2);
        var r = TextPerturbation.Apply(text, new PerturbOptions(0, All, 0.1), new Random(4));
        Assert.Equal(5000, r.Words);
        Assert.InRange(r.WordsDropped, 420, 580);
        Assert.Equal(5000 - r.WordsDropped, r.Text.Split(' ').Length);
        Assert.Equal("only", TextPerturbation.Apply("only", new PerturbOptions(0, All, 0.99), new Random(1)).Text);
        var few = TextPerturbation.Apply("a b", new PerturbOptions(0, All, 0.99), new Random(1));
        Assert.Single(few.Text.Split(' '));
    }

    string Input()
    {
        var path = Path.Combine(root, "in.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 40).Select(i =>
            new JsonObject { ["text"] = LongText(30, i), ["label"] = i % 3 == 0 ? "a" : "b", ["id"] = i }.ToJsonString()));
        return path;
    }

    CliHarness.Result Perturb(params string[] args) => CliHarness.Run(DataCommand.Create(), ["data", "perturb", .. args]);

    [Fact]
    public void The_command_is_deterministic_under_its_seed_and_keeps_the_other_fields()
    {
        var input = Input();
        string a = Path.Combine(root, "a.jsonl"), b = Path.Combine(root, "b.jsonl"), c = Path.Combine(root, "c.jsonl");
        string[] common = ["--input", input, "--field", "text", "--typo-rate", "0.1", "--word-drop", "0.1"];
        var r = Perturb([.. common, "--output", a, "--seed", "11"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("40 records", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("typos in", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Perturb([.. common, "--output", b, "--seed", "11"]).ExitCode);
        Assert.Equal(0, Perturb([.. common, "--output", c, "--seed", "12"]).ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));

        var before = File.ReadAllLines(input).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var after = File.ReadAllLines(a).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i]["label"]!.ToJsonString(), after[i]["label"]!.ToJsonString());
            Assert.Equal(before[i]["id"]!.ToJsonString(), after[i]["id"]!.ToJsonString());
        }
        Assert.True(before.Zip(after).Count(p => (string)p.First["text"]! != (string)p.Second["text"]!) > 30);
        Assert.Empty(Directory.GetFiles(root, "*.tmp")); // atomic: no temporary file left
    }

    [Theory]
    [InlineData("--typo-rate", "1.5", "--typo-rate")]
    [InlineData("--word-drop", "1", "--word-drop")]
    [InlineData("--ops", "swap,flip", "--ops")]
    [InlineData("--field", "body", "in.jsonl:1")]
    public void Bad_input_is_one_error_line(string option, string value, string mustContain)
    {
        var r = Perturb("--input", Input(), "--output", Path.Combine(root, "o.jsonl"), "--seed", "1", option, value);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(mustContain, r.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error:", r.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(root, "o.jsonl")));
    }
}
