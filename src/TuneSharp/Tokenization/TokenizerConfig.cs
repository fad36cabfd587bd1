using System.Text.Json.Nodes;

namespace TuneSharp.Tokenization;

/// <summary>The parts of tokenizer_config.json that tokenization uses (special token names, lengths, sides, chat template).</summary>
internal sealed record TokenizerConfig(string? BosToken, string? EosToken, string? PadToken, string? UnkToken,
    int ModelMaxLength, Side PaddingSide, Side TruncationSide, bool CleanUpTokenizationSpaces, string? ChatTemplate)
{
    public static readonly TokenizerConfig Empty = new(null, null, null, null, int.MaxValue, Side.Right, Side.Right, false, null);

    public static TokenizerConfig FromJson(JsonSection s) => new(
        TokenName(s, "bos_token"), TokenName(s, "eos_token"), TokenName(s, "pad_token"), TokenName(s, "unk_token"),
        s.OptInt("model_max_length") ?? int.MaxValue, ReadSide(s, "padding_side"), ReadSide(s, "truncation_side"),
        s.Bool("clean_up_tokenization_spaces", false), ReadChatTemplate(s));

    /// <summary>A special token given as a string or (older files) as an AddedToken object with "content".</summary>
    static string? TokenName(JsonSection s, string key) => s.Node[key] switch
    {
        null => null,
        JsonObject => s.Object(key).String("content"),
        _ => s.OptString(key),
    };

    static Side ReadSide(JsonSection s, string key) => s.OptString(key) switch
    {
        null or "right" => Side.Right,
        "left" => Side.Left,
        var other => throw s.Error(key, $"'{other}' must be 'left' or 'right'"),
    };

    /// <summary>"chat_template" is a string, or a list of {name, template} of which "default" is used.</summary>
    static string? ReadChatTemplate(JsonSection s)
    {
        if (s.Node["chat_template"] is not JsonArray) return s.OptString("chat_template");
        foreach (var entry in s.Objects("chat_template"))
            if (entry.OptString("name") == "default") return entry.String("template");
        return null;
    }
}
