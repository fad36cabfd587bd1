using System.Text.RegularExpressions;

namespace TuneSharp.Adapters;

/// <summary>
/// A parameter-name pattern for <see cref="Freezing"/>. Two forms, both matched against the whole name:
/// a glob where <c>*</c> matches any run of characters (dots included) and every other character is literal
/// (<c>model.embed_tokens.*</c>, <c>*.bias</c>, <c>model.layers.1.*</c>), or a .NET regular expression after
/// <c>re:</c> (<c>re:model\.layers\.[0-3]\..*</c>).
/// </summary>
public sealed class NamePattern
{
    readonly Regex regex;

    NamePattern(string text, Regex regex) { Text = text; this.regex = regex; }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Parses a glob or a <c>re:</c> pattern.</summary>
    /// <exception cref="UserError">An empty pattern or an invalid regular expression.</exception>
    public static NamePattern Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new UserError("freeze pattern: empty pattern");
        string body = text.StartsWith("re:", StringComparison.Ordinal)
            ? text[3..]
            : string.Join(".*", text.Split('*').Select(Regex.Escape));
        try
        {
            return new NamePattern(text, new Regex($"^(?:{body})\\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e) { throw new UserError($"freeze pattern '{text}': invalid regular expression: {e.Message}"); }
    }

    /// <summary>True when the whole <paramref name="name"/> matches.</summary>
    public bool IsMatch(string name) => regex.IsMatch(name);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
