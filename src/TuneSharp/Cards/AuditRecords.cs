using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TuneSharp.Cards;

/// <summary>
/// Records an audit's result in the model folder it audited, when TuneSharp trained that folder (it has lineage.json):
/// under <c>audits.&lt;name&gt;</c> in lineage.json, and as a section of the card (README.md) between markers, so a
/// second run of the same audit replaces its section instead of adding one. Both files are descriptive (left out
/// of the model digest), so <c>card verify</c> still passes. Folders without lineage.json (a base model someone
/// else made) are left untouched.
/// </summary>
public static class AuditRecords
{
    /// <summary>Records the result; false when the folder has no lineage.json.</summary>
    /// <param name="modelDir">The audited model folder.</param>
    /// <param name="name">The audit's name: "bias", "memorization".</param>
    /// <param name="summary">Its numbers, as they go into lineage.json.</param>
    /// <param name="markdown">Its section body for the card (without the heading).</param>
    public static bool Attach(string modelDir, string name, JsonObject summary, string markdown)
    {
        var lineagePath = Path.Combine(modelDir, LineageFile.Name);
        if (!File.Exists(lineagePath)) return false;
        var root = IO.JsonFile.ReadObject(lineagePath);
        if (root["audits"] is not JsonObject audits) root["audits"] = audits = new JsonObject();
        summary["date"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        audits[name] = summary;
        IO.AtomicFile.WriteAllText(lineagePath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var cardPath = Path.Combine(modelDir, "README.md");
        var card = File.Exists(cardPath) ? File.ReadAllText(cardPath) : "";
        var section = new StringBuilder().Append("<!-- audit:").Append(name).Append(" -->\n### ").Append(Title(name))
            .Append(string.Create(CultureInfo.InvariantCulture, $" ({DateTimeOffset.UtcNow:yyyy-MM-dd})\n\n")).Append(markdown.TrimEnd()).Append("\n<!-- /audit:").Append(name).Append(" -->\n").ToString();
        var existing = new Regex($"<!-- audit:{Regex.Escape(name)} -->.*?<!-- /audit:{Regex.Escape(name)} -->\n?", RegexOptions.Singleline);
        if (existing.IsMatch(card)) card = existing.Replace(card, section.Replace("$", "$$", StringComparison.Ordinal), 1);
        else
        {
            if (!card.Contains("\n## Audits\n", StringComparison.Ordinal)) card = card.TrimEnd() + "\n\n## Audits\n\n";
            card = card.TrimEnd() + "\n\n" + section;
        }
        IO.AtomicFile.WriteAllText(cardPath, card);
        return true;
    }

    static string Title(string name) => name switch
    {
        "bias" => "Bias: counterfactual identity swaps",
        "memorization" => "Privacy: canary exposure and verbatim extraction",
        _ => name,
    };
}
