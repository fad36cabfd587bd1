using System.Text.Json.Nodes;
using TuneSharp.Cards;

namespace TuneSharp.Tests.Cards;

public sealed class AuditRecordsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-audit-records-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void An_audit_is_recorded_in_lineage_and_card_and_a_rerun_replaces_its_section()
    {
        File.WriteAllText(Path.Combine(dir, LineageFile.Name), "{\"format\": \"tunesharp-lineage/1\", \"seed\": 3}");
        File.WriteAllText(Path.Combine(dir, "README.md"), "---\nbase_model: x\n---\n\n# card\n");
        Assert.True(AuditRecords.Attach(dir, "bias", new JsonObject { ["flip_rate"] = 0.5 }, "first $1 run"));
        Assert.True(AuditRecords.Attach(dir, "memorization", new JsonObject { ["extracted"] = 0 }, "no canary"));
        Assert.True(AuditRecords.Attach(dir, "bias", new JsonObject { ["flip_rate"] = 0.25 }, "second run"));

        var lineage = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, LineageFile.Name)))!;
        Assert.Equal(0.25, (double)lineage["audits"]!["bias"]!["flip_rate"]!);
        Assert.Equal(0, (int)lineage["audits"]!["memorization"]!["extracted"]!);
        Assert.Equal(3, (int)lineage["seed"]!); // the rest of lineage.json is kept
        var card = File.ReadAllText(Path.Combine(dir, "README.md"));
        Assert.Equal(1, Count(card, "## Audits"));
        Assert.Equal(1, Count(card, "<!-- audit:bias -->"));
        Assert.Contains("second run", card);
        Assert.DoesNotContain("first", card);
        Assert.Contains("no canary", card);
        Assert.StartsWith("---\nbase_model: x\n---", card);
    }

    [Fact]
    public void A_folder_without_lineage_is_left_alone()
    {
        File.WriteAllText(Path.Combine(dir, "README.md"), "# someone else's model\n");
        Assert.False(AuditRecords.Attach(dir, "bias", new JsonObject(), "x"));
        Assert.Equal("# someone else's model\n", File.ReadAllText(Path.Combine(dir, "README.md")));
        Assert.False(File.Exists(Path.Combine(dir, LineageFile.Name)));
    }
}
