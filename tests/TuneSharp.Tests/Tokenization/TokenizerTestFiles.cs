using System.Text.Json.Nodes;
using TuneSharp.Tokenization;

namespace TuneSharp.Tests.Tokenization;

/// <summary>Test inputs: the hf-tiny fixture, meta.json's tokenizer checks, the hand-written WordPiece tokenizer, temp copies.</summary>
internal static class TokenizerTestFiles
{
    public static string ByteLevelDir => Fixtures.HfTiny("tiny-llama");

    public static string WordPieceDir =>
        Path.Combine(Fixtures.RepoRoot, "tests", "TuneSharp.Tests", "Tokenization", "Data", "wordpiece-bert");

    public static JsonObject Meta { get; } =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "hf-tiny", "meta.json")))!["tokenizer"]!.AsObject();

    public static string[] Strings(string key) => Meta[key]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    public static int[][] Rows(string key) =>
        Meta[key]!.AsArray().Select(r => r!.AsArray().Select(n => n!.GetValue<int>()).ToArray()).ToArray();

    public static JsonObject ReadJson(string dir, string file = "tokenizer.json") =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, file)))!.AsObject();

    /// <summary>A fresh temp folder (removed by the OS temp cleanup; names are unique).</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tunesharp-tok-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes <paramref name="tokenizerJson"/> (and optionally a config) to a temp folder and loads it.</summary>
    public static HfTokenizer LoadModified(JsonObject tokenizerJson, JsonObject? config = null)
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), tokenizerJson.ToJsonString());
        if (config != null) File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), config.ToJsonString());
        return HfTokenizer.Load(dir);
    }
}
