using System.Text.Json.Nodes;

namespace TuneSharp.Inference;

/// <summary>
/// How a folder turns token states into one sentence vector, as sentence-transformers stores it: modules.json
/// (a Normalize module or not), 1_Pooling/config.json (cls, mean or max) and sentence_bert_config.json
/// (max_seq_length). A folder without them (a plain HF model) gets mean pooling, unnormalised, over the model's
/// positions, which is what the server did before and what most encoders without a pooling config expect.
/// </summary>
public sealed record SentenceEmbeddingConfig(string Pooling, bool Normalize, int? MaxSeqLength)
{
    public const string Cls = "cls", Mean = "mean", Max = "max";

    /// <summary>Reads the sentence-transformers files of <paramref name="dir"/>; malformed ones are a user error naming the file.</summary>
    public static SentenceEmbeddingConfig Read(string dir)
    {
        var modules = Path.Combine(dir, "modules.json");
        if (!File.Exists(modules)) return new SentenceEmbeddingConfig(Mean, false, null);
        var list = Parse(modules) as JsonArray ?? throw new UserError($"{modules}: expected a JSON array of modules");
        bool normalize = false;
        string? poolingPath = null;
        foreach (var m in list)
        {
            var type = m?["type"]?.GetValue<string>() ?? throw new UserError($"{modules}: a module has no 'type'");
            if (type.EndsWith(".Normalize", StringComparison.Ordinal)) normalize = true;
            else if (type.EndsWith(".Pooling", StringComparison.Ordinal)) poolingPath = m?["path"]?.GetValue<string>() ?? "";
            else if (!type.EndsWith(".Transformer", StringComparison.Ordinal))
                throw new UserError($"{modules}: module type '{type}' is not supported (supported: Transformer, Pooling, Normalize)");
        }
        string pooling = Mean;
        if (poolingPath is not null)
        {
            var file = Path.Combine(dir, poolingPath, "config.json");
            if (!File.Exists(file)) throw new UserError($"{file}: not found (modules.json names a Pooling module at '{poolingPath}')");
            var pc = Parse(file);
            bool Flag(string key) => pc[key]?.GetValue<bool>() ?? false;
            var modes = new List<string>();
            if (Flag("pooling_mode_cls_token")) modes.Add(Cls);
            if (Flag("pooling_mode_mean_tokens")) modes.Add(Mean);
            if (Flag("pooling_mode_max_tokens")) modes.Add(Max);
            foreach (var unsupported in new[] { "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken" })
                if (Flag(unsupported)) throw new UserError($"{file}: key '{unsupported}': not supported (supported: cls, mean, max)");
            if (modes.Count != 1) throw new UserError($"{file}: exactly one pooling mode must be true (cls, mean or max); found {modes.Count}");
            pooling = modes[0];
        }
        int? maxSeq = null;
        var sbert = Path.Combine(dir, "sentence_bert_config.json");
        if (File.Exists(sbert)) maxSeq = Parse(sbert)["max_seq_length"]?.GetValue<int>();
        return new SentenceEmbeddingConfig(pooling, normalize, maxSeq);
    }

    static JsonNode Parse(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) ?? throw new UserError($"{path}: empty JSON"); }
        catch (System.Text.Json.JsonException e) { throw new UserError($"{path}: invalid JSON ({e.Message})", e); }
        catch (InvalidOperationException e) { throw new UserError($"{path}: unexpected value type ({e.Message})", e); }
    }
}
