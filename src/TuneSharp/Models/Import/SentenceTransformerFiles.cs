using System.Text.Json.Nodes;

namespace TuneSharp.Models.Import;

/// <summary>
/// sentence-transformers' module files, so the folder says how its sentence embedding is made (and loads in
/// sentence-transformers too): modules.json (Transformer → Pooling → Normalize), sentence_bert_config.json
/// (max_seq_length) and 1_Pooling/config.json (CLS or mean). Read back by <c>Inference.SentenceEmbedding</c>.
/// </summary>
public static class SentenceTransformerFiles
{
    /// <summary>(relative path, content) pairs.</summary>
    public static IEnumerable<(string Path, JsonNode Content)> Create(string pooling, int dimension, int maxSeqLength, string? queryPrompt)
    {
        JsonObject Module(int idx, string path, string type) => new() { ["idx"] = idx, ["name"] = idx.ToString(), ["path"] = path, ["type"] = type };
        yield return ("modules.json", new JsonArray(
            Module(0, "", "sentence_transformers.models.Transformer"),
            Module(1, "1_Pooling", "sentence_transformers.models.Pooling"),
            Module(2, "2_Normalize", "sentence_transformers.models.Normalize")));
        yield return ("sentence_bert_config.json", new JsonObject { ["max_seq_length"] = maxSeqLength, ["do_lower_case"] = false });
        yield return ("1_Pooling/config.json", new JsonObject
        {
            ["word_embedding_dimension"] = dimension,
            ["pooling_mode_cls_token"] = pooling == "cls",
            ["pooling_mode_mean_tokens"] = pooling == "mean",
            ["pooling_mode_max_tokens"] = false,
            ["pooling_mode_mean_sqrt_len_tokens"] = false,
            ["pooling_mode_weightedmean_tokens"] = false,
            ["pooling_mode_lasttoken"] = false,
            ["include_prompt"] = true,
        });
        if (queryPrompt is not null)
            yield return ("config_sentence_transformers.json", new JsonObject
            {
                ["prompts"] = new JsonObject { ["query"] = queryPrompt, ["document"] = "" }, ["default_prompt_name"] = null,
            });
    }
}
