namespace TuneSharp.Tokenization.PreTokenizers;

/// <summary>The "pre_tokenizer" step of tokenizer.json: cuts normalized text into the words the model sees.</summary>
internal abstract class PreTokenizer
{
    /// <summary>Splits one piece into smaller pieces (or rewrites it, as ByteLevel does).</summary>
    public abstract IEnumerable<NormalizedText> Split(NormalizedText piece);

    /// <summary>Builds the pre-tokenizer of a tokenizer.json section; null when the section is null.</summary>
    public static PreTokenizer? FromJson(JsonSection? section)
    {
        if (section is not { } s) return null;
        return s.Type("ByteLevel", "Split", "Sequence", "BertPreTokenizer", "Whitespace", "WhitespaceSplit", "Digits") switch
        {
            "ByteLevel" => new ByteLevelPreTokenizer(s.Bool("add_prefix_space", true), s.Bool("use_regex", true)),
            "Split" => SplitPreTokenizer.FromJson(s),
            "BertPreTokenizer" => new BertPreTokenizer(),
            "Whitespace" => new SplitPreTokenizer(new System.Text.RegularExpressions.Regex(@"\w+|[^\w\s]+", SplitPreTokenizer.Options),
                SplitBehavior.Removed, invert: true),
            "WhitespaceSplit" => new SplitPreTokenizer(new System.Text.RegularExpressions.Regex(@"\s+", SplitPreTokenizer.Options),
                SplitBehavior.Removed, invert: false),
            "Digits" => new SplitPreTokenizer(new System.Text.RegularExpressions.Regex(
                s.Bool("individual_digits", false) ? @"\p{N}" : @"\p{N}+", SplitPreTokenizer.Options), SplitBehavior.Isolated, invert: false),
            _ => new SequencePreTokenizer(s.Objects("pretokenizers").Select(p => FromJson(p)!).ToArray()),
        };
    }
}

/// <summary>"Sequence": each pre-tokenizer splits the pieces of the one before.</summary>
internal sealed class SequencePreTokenizer(PreTokenizer[] steps) : PreTokenizer
{
    public override IEnumerable<NormalizedText> Split(NormalizedText piece)
    {
        IEnumerable<NormalizedText> pieces = [piece];
        foreach (var step in steps) pieces = pieces.SelectMany(step.Split).ToList();
        return pieces;
    }
}
