namespace TuneSharp.Tokenization.Decoders;

/// <summary>The "decoder" step of tokenizer.json: turns token strings back into text.</summary>
internal abstract class Decoder
{
    /// <summary>HF's decode_chain: each decoder rewrites the list of strings; the result is their concatenation.</summary>
    public abstract List<string> DecodeChain(List<string> tokens);

    public string Decode(List<string> tokens) => string.Concat(DecodeChain(tokens));

    /// <summary>Builds the decoder of a tokenizer.json section; null when the section is null.</summary>
    public static Decoder? FromJson(JsonSection? section)
    {
        if (section is not { } s) return null;
        return s.Type("ByteLevel", "WordPiece", "Sequence") switch
        {
            "ByteLevel" => new ByteLevelDecoder(),
            "WordPiece" => new WordPieceDecoder(s.OptString("prefix") ?? "##", s.Bool("cleanup", true)),
            _ => new SequenceDecoder(s.Objects("decoders").Select(d => FromJson(d)!).ToArray()),
        };
    }
}

/// <summary>"Sequence": decoders applied in order.</summary>
internal sealed class SequenceDecoder(Decoder[] steps) : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        foreach (var step in steps) tokens = step.DecodeChain(tokens);
        return tokens;
    }
}
