using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Tokenization;

public sealed partial class HfTokenizer
{
    const string TokenizerFile = "tokenizer.json", ConfigFile = "tokenizer_config.json", ChatTemplateFile = "chat_template.jinja";

    /// <summary>
    /// Loads a tokenizer from a model folder: tokenizer.json (required), tokenizer_config.json and
    /// chat_template.jinja (optional). Missing or invalid files and unsupported components are a
    /// <see cref="UserError"/> naming the file and key.
    /// </summary>
    public static HfTokenizer Load(string modelDir)
    {
        var json = Path.Combine(modelDir, TokenizerFile);
        if (!File.Exists(json))
            throw new UserError($"{TokenizerFile}: not found in {modelDir} (only fast tokenizers saved as tokenizer.json are supported)");
        var configPath = Path.Combine(modelDir, ConfigFile);
        var templatePath = Path.Combine(modelDir, ChatTemplateFile);
        string? template = null;
        if (File.Exists(templatePath))
        {
            try { template = File.ReadAllText(templatePath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserError($"{ChatTemplateFile}: cannot read {templatePath} ({e.Message})", e);
            }
        }
        return new HfTokenizer(JsonSection.Parse(json), File.Exists(configPath) ? JsonSection.Parse(configPath) : null, template);
    }

    /// <summary>Loads a tokenizer from a tokenizer.json and an optional tokenizer_config.json path.</summary>
    public static HfTokenizer FromFiles(string tokenizerJson, string? tokenizerConfigJson)
    {
        if (!File.Exists(tokenizerJson)) throw new UserError($"{Path.GetFileName(tokenizerJson)}: not found ({tokenizerJson})");
        if (tokenizerConfigJson != null && !File.Exists(tokenizerConfigJson))
            throw new UserError($"{Path.GetFileName(tokenizerConfigJson)}: not found ({tokenizerConfigJson})");
        return new HfTokenizer(JsonSection.Parse(tokenizerJson),
            tokenizerConfigJson != null ? JsonSection.Parse(tokenizerConfigJson) : null, null);
    }

    /// <summary>
    /// Writes tokenizer.json (with the current added tokens), tokenizer_config.json and, when the chat
    /// template came from one, chat_template.jinja into <paramref name="dir"/>, each atomically
    /// (a temporary file renamed over the target), so <see cref="Load"/> gives this tokenizer back.
    /// </summary>
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        var json = (JsonObject)tokenizerJson.DeepClone();
        json["added_tokens"] = new JsonArray(addedTokens.Select(t => (JsonNode)t.ToJson()).ToArray());
        WriteAtomically(Path.Combine(dir, TokenizerFile), Serialize(json));

        var cfg = (JsonObject?)configJson?.DeepClone() ?? new JsonObject
        {
            ["bos_token"] = BosToken, ["eos_token"] = EosToken, ["pad_token"] = PadToken, ["unk_token"] = config.UnkToken,
        };
        cfg.Remove("added_tokens_decoder"); // would go stale after AddTokens; tokenizer.json is the source of truth
        WriteAtomically(Path.Combine(dir, ConfigFile), Serialize(cfg));
        if (chatTemplateFromFile && ChatTemplate != null) WriteAtomically(Path.Combine(dir, ChatTemplateFile), ChatTemplate);
    }

    // HF writes UTF-8 without escaping ("Ġthe", not "\u0120the").
    static string Serialize(JsonObject node) =>
        node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    static void WriteAtomically(string path, string text)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new UserError($"{Path.GetFileName(path)}: cannot write {path} ({e.Message})", e);
        }
    }
}
