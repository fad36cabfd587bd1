namespace TuneSharp.Tokenization;

/// <summary>
/// An entry of tokenizer.json's "added_tokens": a token matched in the text before the model runs and
/// never split. <see cref="Special"/> tokens (such as &lt;|im_start|&gt;) are dropped by
/// <c>Decode(skipSpecialTokens: true)</c>.
/// </summary>
/// <param name="Id">The token id.</param>
/// <param name="Content">The exact text of the token.</param>
/// <param name="SingleWord">Match only when not inside a word.</param>
/// <param name="LStrip">The match also takes the whitespace on its left.</param>
/// <param name="RStrip">The match also takes the whitespace on its right.</param>
/// <param name="Normalized">Matched in the normalized text (else in the raw text).</param>
/// <param name="Special">A control token rather than text.</param>
public sealed record AddedToken(int Id, string Content, bool SingleWord = false, bool LStrip = false, bool RStrip = false,
    bool Normalized = false, bool Special = true)
{
    internal static AddedToken FromJson(JsonSection s)
    {
        var id = s.OptInt("id") ?? throw s.Error("id", "is missing");
        var special = s.Bool("special", false);
        return new AddedToken(id, s.String("content"), s.Bool("single_word", false), s.Bool("lstrip", false),
            s.Bool("rstrip", false), s.Bool("normalized", !special), special);
    }

    internal System.Text.Json.Nodes.JsonObject ToJson() => new()
    {
        ["id"] = Id, ["content"] = Content, ["single_word"] = SingleWord, ["lstrip"] = LStrip,
        ["rstrip"] = RStrip, ["normalized"] = Normalized, ["special"] = Special,
    };
}
