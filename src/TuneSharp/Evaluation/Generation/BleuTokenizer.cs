using System.Text;
using System.Text.RegularExpressions;
using TuneSharp.Text;

namespace TuneSharp.Evaluation;

/// <summary>Tokenizers available to BLEU, named as in sacreBLEU's signature.</summary>
public enum BleuTokenizer
{
    /// <summary>"13a": mteval-v13a.pl's tokenization, sacreBLEU's default (punctuation split off, entities unescaped).</summary>
    Tok13a,
    /// <summary>"none": the text is only split on whitespace.</summary>
    None,
    /// <summary>"char": every non-whitespace character is a token.</summary>
    Char,
}

/// <summary>
/// sacreBLEU's tokenizers. 13a (tokenizer_13a.py + tokenizer_re.py): drops "&lt;skipped&gt;", joins
/// "-\n" hyphenation, unescapes &amp;quot; &amp;amp; &amp;lt; &amp;gt;, splits off most ASCII symbols
/// (not the apostrophe, not '-' unless after a digit), and splits '.' and ',' except between digits.
/// </summary>
public static class BleuTokenizers
{
    // Python's [\{-\~\[-\` -\&\(-\+\:-\@\/]: { | } ~, [ \ ] ^ _ `, space ! " # $ % &, ( ) * +, : ; < = > ? @, /
    static readonly Regex Symbols = new(@"([{-~\[-` -&(-+:-@/])", RegexOptions.CultureInvariant);
    static readonly Regex PeriodCommaAfterNonDigit = new(@"([^0-9])([\.,])", RegexOptions.CultureInvariant);
    static readonly Regex PeriodCommaBeforeNonDigit = new(@"([\.,])([^0-9])", RegexOptions.CultureInvariant);
    static readonly Regex DashAfterDigit = new(@"([0-9])(-)", RegexOptions.CultureInvariant);

    /// <summary>The signature name of a tokenizer ("13a", "none", "char").</summary>
    public static string Name(BleuTokenizer tokenizer) => tokenizer switch
    {
        BleuTokenizer.Tok13a => "13a",
        BleuTokenizer.None => "none",
        BleuTokenizer.Char => "char",
        _ => throw new UserError($"bleu: unknown tokenizer '{tokenizer}'."),
    };

    /// <summary>Tokenizes one line and returns it space-joined, exactly as sacreBLEU would.</summary>
    public static string Tokenize(string line, BleuTokenizer tokenizer) => tokenizer switch
    {
        BleuTokenizer.Tok13a => Tokenize13a(line),
        BleuTokenizer.None => line,
        BleuTokenizer.Char => string.Join(" ", PyText.Chars(line)),
        _ => throw new UserError($"bleu: unknown tokenizer '{tokenizer}'."),
    };

    /// <summary>The 13a tokenization of one line.</summary>
    public static string Tokenize13a(string line)
    {
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
                   .Replace("-\n", "", StringComparison.Ordinal)
                   .Replace("\n", " ", StringComparison.Ordinal)
                   .Replace("&quot;", "\"", StringComparison.Ordinal)
                   .Replace("&amp;", "&", StringComparison.Ordinal)
                   .Replace("&lt;", "<", StringComparison.Ordinal)
                   .Replace("&gt;", ">", StringComparison.Ordinal);
        line = " " + line + " ";
        line = Symbols.Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit.Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit.Replace(line, " $1 $2");
        line = DashAfterDigit.Replace(line, "$1 $2 ");
        return string.Join(" ", PyText.Split(line));
    }
}
