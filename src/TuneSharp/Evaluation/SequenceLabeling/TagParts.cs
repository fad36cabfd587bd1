namespace TuneSharp.Evaluation;

/// <summary>Splits a tag such as "B-PER" (or "PER-B" with suffix style) into its prefix letter and type.</summary>
internal static class TagParts
{
    public static void CheckNotEmpty(string metric, string? tag, int sentence, int token)
    {
        if (string.IsNullOrEmpty(tag))
            throw new UserError($"{metric}: sentence {sentence}, token {token}: the tag is empty; use \"O\" for tokens outside entities.");
    }

    /// <summary>seqeval default mode: type is the text after the first '-' ("B-ORG-X" → "ORG-X"), or "_".</summary>
    public static (char Prefix, string Type) Lenient(string tag, bool suffix)
    {
        if (suffix)
        {
            string rest = tag.Substring(0, tag.Length - 1);
            int dash = rest.LastIndexOf('-');
            string type = dash >= 0 ? rest.Substring(0, dash) : rest;
            return (tag[^1], type.Length == 0 ? "_" : type);
        }
        else
        {
            string rest = tag.Substring(1);
            int dash = rest.IndexOf('-');
            string type = dash >= 0 ? rest.Substring(dash + 1) : rest;
            return (tag[0], type.Length == 0 ? "_" : type);
        }
    }

    /// <summary>seqeval strict mode: type is the tag minus its prefix letter, with '-' trimmed at both ends, or "_".</summary>
    public static (char Prefix, string Type) Strict(string tag, bool suffix)
    {
        string rest = suffix ? tag.Substring(0, tag.Length - 1) : tag.Substring(1);
        string type = rest.Trim('-');
        return (suffix ? tag[^1] : tag[0], type.Length == 0 ? "_" : type);
    }
}
