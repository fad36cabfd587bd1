using System.Text.RegularExpressions;

namespace TuneSharp.Tokenization.PreTokenizers;

/// <summary>"Split": cuts on a literal string or a regex (Llama-3 and Qwen2 put their word regex here).</summary>
internal sealed class SplitPreTokenizer(Regex pattern, SplitBehavior behavior, bool invert) : PreTokenizer
{
    internal const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    public static SplitPreTokenizer FromJson(JsonSection s)
    {
        var pattern = s.Object("pattern");
        Regex regex;
        if (pattern.OptString("String") is { } literal)
            regex = new Regex(Regex.Escape(literal), Options);
        else if (pattern.OptString("Regex") is { } source)
        {
            try { regex = new Regex(OnigurumaRegex.ToDotNet(source), Options); }
            catch (ArgumentException e) { throw pattern.Error("Regex", $"cannot be used ({e.Message})"); }
        }
        else throw s.Error("pattern", "must hold \"String\" or \"Regex\"");
        var name = s.String("behavior");
        if (!Enum.TryParse<SplitBehavior>(name, out var behavior))
            throw s.Error("behavior", $"'{name}' is not supported (supported: {string.Join(", ", Enum.GetNames<SplitBehavior>())})");
        return new SplitPreTokenizer(regex, behavior, s.Bool("invert", false));
    }

    public override IEnumerable<NormalizedText> Split(NormalizedText piece) =>
        Splitter.Apply(piece, Matches(pattern, piece.Text), behavior, invert);

    internal static IEnumerable<(int, int)> Matches(Regex regex, string text)
    {
        foreach (Match m in regex.Matches(text))
            if (m.Length > 0) yield return (m.Index, m.Index + m.Length);
    }
}
