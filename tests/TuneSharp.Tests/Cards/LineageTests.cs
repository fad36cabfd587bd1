using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TuneSharp.Cards;
using TuneSharp.Cli.Commands;
using TuneSharp.Recipes;
using TuneSharp.Tests.Cli;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tests.Training;

namespace TuneSharp.Tests.Cards;

/// <summary>Every train writes a model card and lineage.json; `card verify` finds a modified or vanished input.</summary>
[Collection(SequentialCollection.Name)]
public sealed class LineageTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-lineage-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Train_writes_card_and_lineage_and_verify_names_what_changed()
    {
        var recipePath = FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "full");
        var outcome = RecipeRunner.Run(RecipeLoader.Load(recipePath, []));
        var model = outcome.ModelDir;

        var lineage = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(model, "lineage.json")))!;
        Assert.Equal("tunesharp-lineage/1", (string)lineage["format"]!);
        var data = lineage["data"]!.AsArray();
        Assert.Equal(["train", "validation", "test"], data.Select(d => (string)d!["split"]!));
        foreach (var d in data) Assert.Equal(Sha((string)d!["path"]!), (string)d["sha256"]!);
        Assert.Equal(60, (int)data[0]!["examples"]!);
        Assert.Equal(3, (long)lineage["seed"]!);
        Assert.Equal("full", (string)lineage["recipe"]!["method"]!["type"]!);
        Assert.Contains("+", (string)lineage["tunesharp_version"]!); // the build's git commit
        var accuracy = lineage["metrics"]!.AsArray().Single(m => (string)m!["split"]! == "test" && (string)m["name"]! == "accuracy")!;
        Assert.Equal(outcome.Test!["accuracy"], (double)accuracy["value"]!, 12);
        Assert.InRange((double)accuracy["value"]!, (double)accuracy["ci95_low"]!, (double)accuracy["ci95_high"]!);

        var card = File.ReadAllText(Path.Combine(model, "README.md"));
        Assert.StartsWith("---\nbase_model: tiny-bert-cls\nlibrary_name: tunesharp\n", card, StringComparison.Ordinal);
        Assert.Contains("    - {type: accuracy, value: ", card, StringComparison.Ordinal);
        Assert.Contains($"`{Sha(Path.Combine(root, "train.jsonl"))}`", card, StringComparison.Ordinal);

        // An audit recorded afterwards changes the card and lineage.json only: the model digest still matches.
        Assert.True(AuditRecords.Attach(model, "bias", new System.Text.Json.Nodes.JsonObject { ["flip_rate"] = 0.1 }, "recorded"));
        var ok = CliHarness.Run(CardCommand.Create(), "card", "verify", model);
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Contains("every digest matches lineage.json", ok.Stdout, StringComparison.Ordinal);

        File.AppendAllText(Path.Combine(root, "train.jsonl"), """{"text": "one more", "label": "pos"}""" + "\n");
        File.Delete(Path.Combine(root, "test.jsonl"));
        var items = LineageVerification.Verify(model);
        Assert.Equal("changed", items.Single(i => i.What == "data (train)").Status);
        Assert.Equal("missing", items.Single(i => i.What == "data (test)").Status);
        Assert.Equal("ok", items.Single(i => i.What == "model").Status);
        Assert.Equal("ok", items.Single(i => i.What == "base model").Status);
        var bad = CliHarness.Run(CardCommand.Create(), "card", "verify", model);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("changed  data (train)", bad.Stdout, StringComparison.Ordinal);
        Assert.Contains("missing  data (test)", bad.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_digest_ignores_the_card_and_follows_every_weight_byte()
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "m")).FullName;
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), [1, 2, 3]);
        Directory.CreateDirectory(Path.Combine(dir, "1_Pooling"));
        File.WriteAllText(Path.Combine(dir, "1_Pooling", "config.json"), "{}");
        var (first, files) = FileHashes.Folder(dir);
        Assert.Equal(2, files);
        File.WriteAllText(Path.Combine(dir, "README.md"), "a card");
        File.WriteAllText(Path.Combine(dir, "lineage.json"), "{}");
        Assert.Equal(first, FileHashes.Folder(dir).Sha256);
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), [1, 2, 4]);
        Assert.NotEqual(first, FileHashes.Folder(dir).Sha256);
    }

    [Fact]
    public void A_folder_without_lineage_is_one_error_line()
    {
        var r = CliHarness.Run(CardCommand.Create(), "card", "verify", root);
        Assert.Equal(2, r.ExitCode);
        var line = r.Stderr.TrimEnd('\n', '\r');
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("lineage.json", line, StringComparison.Ordinal);
    }
}
